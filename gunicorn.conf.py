"""gunicorn's settings for quizapp, read by gunicorn when started in this folder (docs/DEPLOY.md §4).

Options given on the command line (--bind, --workers, --threads) override these.
"""

# On SIGTERM (a deployment, a restart) each worker stops taking new requests and finishes the
# ones it is serving, for up to this many seconds, so no answer a student sent is cut off.
graceful_timeout = 30
# A request still running after this is a worker stuck, not a slow page: it is restarted.
timeout = 60
