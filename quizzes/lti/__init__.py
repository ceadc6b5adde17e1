"""LTI 1.3 Advantage: Quizdeck as a tool inside Moodle, Canvas and other LMSs (docs/LMS.md).

keys: the tool's RS256 keys; platforms: pylti1p3's view of the registered LMSs;
launch: who a launch signs in and which class and assignment it opens; scores: the AGS
outbox; roster: NRPS sync; routes/admin: the pages; cli: `flask lti ...`."""
