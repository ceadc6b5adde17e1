"""gunicorn settings for Quizdeck in production (README, "Production").

gunicorn reads this file from the directory it starts in; the README's command also names
it (-c gunicorn.conf.py). Rate limits kept in memory count per worker process, so with
several workers each limit would be multiplied by their number: such a start is refused,
with a message saying what to set (quizzes/web/ratelimits.py, shared_store_problem).
"""

from gunicorn.errors import AppImportError


def post_worker_init(worker) -> None:
    from quizzes.web.ratelimits import shared_store_problem

    # The app is loaded by now (worker.wsgi); a refusal here stops gunicorn as a failed
    # load does, printing the message, instead of serving with limits that do not hold.
    if problem := shared_store_problem(worker.wsgi, worker.cfg.workers):
        raise AppImportError(problem)
