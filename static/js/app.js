// Site-wide behaviour. Pages add their own files; nothing is inline (the CSP forbids it).
"use strict";
