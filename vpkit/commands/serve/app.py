"""The web application of ``vpkit serve``: the page in ``static/`` at ``/`` and the HTTP API under ``/api``.

Every error a client can cause is a 4xx JSON ``{"detail": "..."}`` of one short line, and the
server keeps serving. The OpenAPI page at ``/docs`` is FastAPI's own, with its scripts served
from the installed fastapi-offline package instead of a CDN, like the page: it works offline.
"""

from __future__ import annotations

import asyncio
import secrets
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import File, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from vpkit import __version__
from vpkit.components import GeneratorOutput
from vpkit.engine.train.grids import make_grid, sample_columns
from vpkit.errors import VpkitError
from vpkit.suggest import did_you_mean
from vpkit.video.context import upload_context
from vpkit.video.files import clips_to_tensor, tensor_to_clips

from .inference import InferenceWorker
from .limits import MAX_PIXELS, MAX_SAMPLES, MAX_SEED, MAX_UPLOAD_BYTES, BodyLimit
from .media import MEDIA_TYPES, encode_video
from .models import ServedModel

STATIC = Path(__file__).parent / "static"


class Problem(BaseModel):
    """The body of every error response."""

    detail: str


VIDEO_RESPONSES = {
    200: {
        "content": {media: {} for media in MEDIA_TYPES.values()},
        "description": "The video. `X-Vpkit-Seed` holds the seed used; "
        "`X-Vpkit-Columns` names the columns left to right.",
    },
    400: {"model": Problem},
    404: {"model": Problem},
    413: {"model": Problem},
    422: {"model": Problem},
}
Format = Annotated[Literal["gif", "mp4"], Query(description="Video format of the response.")]
Seed = Annotated[int | None, Query(ge=0, le=MAX_SEED, description="Seed of the noise; a random one when absent.")]


def create_app(models: dict[str, ServedModel], max_upload_bytes: int = MAX_UPLOAD_BYTES) -> FastAPIOffline:
    """The application serving ``models``; its inference worker runs while the application does."""
    worker = InferenceWorker()

    @asynccontextmanager
    async def lifespan(app):
        worker.start()
        yield
        worker.stop()

    app = FastAPIOffline(
        title="vpkit",
        version=__version__,
        lifespan=lifespan,
        description="Predictions and samples of the models trained with vpkit; the page at / uses this API.",
    )
    app.add_middleware(BodyLimit, max_bytes=max_upload_bytes)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _add_error_handlers(app)

    def model_named(name: str) -> ServedModel:
        if name not in models:
            raise HTTPException(
                404, f"unknown model {name!r}{did_you_mean(name, models)}; available: {', '.join(models)}"
            )
        return models[name]

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @app.get("/healthz", summary="Liveness check")
    async def healthz() -> dict:
        return {"status": "ok", "models": len(models)}

    @app.get("/api/models", summary="The models served")
    async def list_models() -> list[dict]:
        """Name, kind (conditional or unconditional), clip size, frame rate, training step and parts of each model."""
        return [model.describe() for model in models.values()]

    @app.post(
        "/api/models/{name}/predict",
        summary="Predict the video that follows a photo",
        response_class=Response,
        responses=VIDEO_RESPONSES,
    )
    async def predict(
        name: str,
        image: Annotated[
            list[UploadFile],
            File(
                description="The photo: any image Pillow reads; resized and centre-cropped to the model's size. "
                "A model with k > 1 context frames (`context` in /api/models) takes k photos in order (the field "
                "repeated), or one short video (its first k frames)."
            ),
        ],
        format: Format = "gif",
        parts: Annotated[
            bool,
            Query(description="A row input | prediction | the generator's parts, instead of the prediction alone."),
        ] = False,
        seed: Seed = None,
    ) -> Response:
        model = model_named(name)
        if not model.conditional:
            raise HTTPException(
                400, f"model {name!r} is unconditional and cannot start from an image; use /api/models/{name}/sample"
            )
        clip = model.trained.run.clip
        files = [((upload.filename or "upload")[:100], upload.file) for upload in image]
        frames = await run_in_threadpool(upload_context, files, clip.size, clip.context, MAX_PIXELS)
        condition = clips_to_tensor(frames[None])[0]
        seed = _seed(seed)
        output = await asyncio.wrap_future(worker.predict(model, condition, seed))
        if parts:
            names, columns = sample_columns(output, condition[None])
            frames = await run_in_threadpool(make_grid, columns)
        else:
            names, frames = ["video"], tensor_to_clips(output.video)[0]
        return await _video(model, frames, names, format, seed, "prediction")

    @app.get(
        "/api/models/{name}/sample",
        summary="A grid of samples of an unconditional model",
        response_class=Response,
        responses=VIDEO_RESPONSES,
    )
    async def sample(
        name: str,
        seed: Seed = None,
        n: Annotated[
            int, Query(ge=1, le=MAX_SAMPLES, description="Videos in the grid, one per row with its parts beside it.")
        ] = 4,
        format: Format = "gif",
    ) -> Response:
        model = model_named(name)
        if model.conditional:
            raise HTTPException(
                400, f"model {name!r} is conditional: it predicts from a photo; POST one to /api/models/{name}/predict"
            )
        seed = _seed(seed)
        output: GeneratorOutput = await asyncio.wrap_future(worker.sample(model, n, seed))
        names, columns = sample_columns(output)
        frames = await run_in_threadpool(make_grid, columns)
        return await _video(model, frames, names, format, seed, "samples")

    return app


def _seed(seed: int | None) -> int:
    return secrets.randbelow(2**31) if seed is None else seed


async def _video(model: ServedModel, frames, columns: list[str], fmt: str, seed: int, what: str) -> Response:
    body = await run_in_threadpool(encode_video, frames, fmt, model.trained.run.config.train.fps)
    filename = quote(f"{model.name}-{what}-{seed}.{fmt}")
    return Response(
        body,
        media_type=MEDIA_TYPES[fmt],
        headers={
            "X-Vpkit-Seed": str(seed),
            "X-Vpkit-Columns": ",".join(columns),
            "Content-Disposition": f"inline; filename*=UTF-8''{filename}",
        },
    )


def _add_error_handlers(app: FastAPIOffline) -> None:
    """Bad input is a 4xx with one short line; anything else is a 500 that says only where to look."""

    @app.exception_handler(VpkitError)
    async def user_error(request: Request, exc: VpkitError) -> JSONResponse:
        return JSONResponse({"detail": exc.message}, 400)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"][1:]) or error["loc"][0]
        return JSONResponse({"detail": f"{where}: {error['msg']}"}, 422)

    @app.exception_handler(Exception)  # Starlette logs the traceback after this answers
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"detail": "internal error; the server's log has the details"}, 500)
