"""``vpkit serve``: trained models on a web page and over HTTP.

``models`` loads the runs, ``inference`` runs every generator call on one worker thread,
``app`` is the FastAPI application (the page in ``static/`` and the API), ``server`` binds
the socket and runs it under uvicorn.
"""
