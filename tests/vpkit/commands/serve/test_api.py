"""The HTTP API of ``vpkit serve`` against a real server process (conftest.py), with httpx:
every endpoint, every kind of bad input, and concurrent requests."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

import httpx
import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image, ImageSequence

from vpkit.commands.cli import cli
from vpkit.commands.serve.media import encode_video
from vpkit.engine.generate import generate, load_generator
from vpkit.engine.train.grids import make_grid, sample_columns

TINY = {"frames": 4, "size": 16}
CELL = 16 + 2  # a grid column or row: one video and its gap


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


def gif_frames(body: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(body)) as gif:
        return np.stack([np.asarray(frame.convert("RGB")) for frame in ImageSequence.Iterator(gif)])


def upload(path) -> dict:
    return {"image": (path.name, path.read_bytes(), "image/png")}


# --- the endpoints


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok", "models": 2}


def test_models_lists_each_run_by_its_folder_name(client):
    models = {model["name"]: model for model in client.get("/api/models").json()}
    assert models["videogan_future"] == {
        "name": "videogan_future",
        "kind": "conditional",
        "generator": "videogan_future",
        **TINY,
        "context": 1,
        "fps": 8.0,
        "step": 3,
        "checkpoint": "last.pt",
        "parts": ["foreground", "mask", "background"],
    }
    assert models["videogan"]["kind"] == "unconditional" and models["videogan"]["parts"] == [
        "foreground",
        "mask",
        "background",
    ]


def test_predict_returns_what_vpkit_predict_writes(client, future_run, photo, tmp_path):
    picture = photo()
    response = client.post("/api/models/videogan_future/predict", files=upload(picture))
    assert response.status_code == 200 and response.headers["content-type"] == "image/gif"
    assert response.headers["x-vpkit-columns"] == "video"
    assert (
        CliRunner().invoke(cli, ["predict", str(future_run), str(picture), "-o", str(tmp_path / "cli.gif")]).exit_code
        == 0
    )
    assert response.content == (tmp_path / "cli.gif").read_bytes()
    seed = response.headers["x-vpkit-seed"]
    assert f"videogan_future-prediction-{seed}.gif" in response.headers["content-disposition"]


def test_predict_mp4_with_parts_is_a_row_starting_with_the_input(client, photo):
    picture = photo(width=40, height=16)
    params = {"parts": "true", "format": "mp4"}
    mp4 = client.post("/api/models/videogan_future/predict", files=upload(picture), params=params)
    assert mp4.status_code == 200 and mp4.headers["content-type"] == "video/mp4" and mp4.content[4:8] == b"ftyp"
    assert mp4.headers["x-vpkit-columns"] == "input,video,foreground,mask,background"
    gif = client.post("/api/models/videogan_future/predict", files=upload(picture), params={"parts": "true"})
    frames = gif_frames(gif.content)
    assert frames.shape[1:] == (2 + CELL, 2 + 5 * CELL, 3)
    # The input column is the photo's centre crop, held still (up to GIF palette error).
    from vpkit.video.images import load_frame

    crop = load_frame(picture, 16).astype(int)
    assert all(np.abs(frame[2:18, 2:18].astype(int) - crop).mean() < 12 for frame in frames)


def test_sample_returns_the_videos_vpkit_sample_draws_and_repeats_by_seed(client, plain_run):
    response = client.get("/api/models/videogan/sample", params={"seed": 7, "n": 3})
    assert response.status_code == 200 and response.headers["x-vpkit-seed"] == "7"
    assert response.headers["x-vpkit-columns"] == "video,foreground,mask,background"
    assert gif_frames(response.content).shape[1:] == (2 + 3 * CELL, 2 + 4 * CELL, 3)
    # the videos vpkit sample draws with that seed, in the server's grid (named in the header, not above
    # each column as vpkit sample's labelled grid does)
    trained = load_generator(plain_run, device="cpu")
    grid = make_grid(sample_columns(generate(trained.generator, 3, None, 7, trained.precision))[1])
    assert response.content == encode_video(grid, "gif", trained.run.config.train.fps)
    mp4 = client.get("/api/models/videogan/sample", params={"seed": 7, "n": 3, "format": "mp4"})
    assert mp4.headers["content-type"] == "video/mp4" and mp4.content[4:8] == b"ftyp"


def test_a_random_seed_is_reported_and_reproduces_the_video(client):
    first = client.get("/api/models/videogan/sample", params={"n": 2})
    seed = first.headers["x-vpkit-seed"]
    again = client.get("/api/models/videogan/sample", params={"n": 2, "seed": seed})
    assert again.content == first.content


def test_openapi_page_and_schema_work_offline(client):
    schema = client.get("/openapi.json").json()
    assert {"/healthz", "/api/models", "/api/models/{name}/predict", "/api/models/{name}/sample"} <= schema[
        "paths"
    ].keys()
    page = client.get("/docs").text
    assert "/static-offline-docs/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    assert client.get("/static-offline-docs/swagger-ui-bundle.js").status_code == 200


def test_the_page_and_its_files_load_nothing_from_elsewhere(client):
    for path in ("/", "/static/app.js", "/static/style.css"):
        response = client.get(path)
        assert response.status_code == 200
        assert "http://" not in response.text and "https://" not in response.text, path


# --- bad input: a JSON 4xx with one short line, and the server keeps serving


def problem(response, status: int, *words: str) -> None:
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, str) and "\n" not in detail and len(detail) < 200, detail
    for word in words:
        assert word in detail, detail


def test_unknown_model(client, photo):
    problem(
        client.get("/api/models/videogn/sample"),
        404,
        "unknown model 'videogn'",
        "did you mean 'videogan'",
        "available:",
    )
    problem(client.post("/api/models/nope/predict", files=upload(photo())), 404, "unknown model 'nope'")


@pytest.mark.parametrize("name", ["..", "../videogan", "..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd"])
def test_no_path_from_a_request_reaches_the_file_system(client, name):
    response = client.get(f"/api/models/{name}/sample")
    assert response.status_code == 404 and "detail" in response.json()


def test_not_an_image(client, tmp_path):
    (tmp_path / "notes.png").write_text("just text")
    response = client.post("/api/models/videogan_future/predict", files=upload(tmp_path / "notes.png"))
    problem(response, 400, "notes.png: not an image")


def test_truncated_image(client, photo):
    data = photo().read_bytes()
    response = client.post(
        "/api/models/videogan_future/predict", files={"image": ("cut.png", data[: len(data) // 2], "image/png")}
    )
    problem(response, 400, "cut.png: cannot read the image")


def test_upload_over_the_size_limit(client):
    big = {"image": ("big.png", b"\0" * (20 * 2**20 + 1), "image/png")}
    problem(client.post("/api/models/videogan_future/predict", files=big), 413, "over the limit of 20,971,520 bytes")


def test_body_without_a_length(client):
    response = client.post(
        "/api/models/videogan_future/predict",
        content=iter([b"--x\r\n", b"--x--\r\n"]),
        headers={"Content-Type": "multipart/form-data; boundary=x"},
    )
    problem(response, 411, "Content-Length")


def test_decompression_bomb(client, tmp_path):
    """A few kB of PNG that would decode to 60 million pixels."""
    Image.new("1", (10_000, 6_000)).save(tmp_path / "bomb.png")
    response = client.post("/api/models/videogan_future/predict", files=upload(tmp_path / "bomb.png"))
    problem(response, 400, "bomb.png: 10000 x 6000 pixels is over the limit of 50,000,000 pixels")


def test_no_image_in_the_request(client):
    problem(client.post("/api/models/videogan_future/predict"), 422, "image: Field required")
    problem(client.post("/api/models/videogan_future/predict", data={"photo": "x"}), 422, "image: Field required")


@pytest.mark.parametrize(
    "params, words",
    [
        ({"seed": "abc"}, ["seed:", "integer"]),
        ({"seed": -1}, ["seed:", "greater than or equal to 0"]),
        ({"seed": 2**64}, ["seed:", "less than or equal to"]),
        ({"n": 0}, ["n:", "greater than or equal to 1"]),
        ({"n": 17}, ["n:", "less than or equal to 16"]),
        ({"n": "many"}, ["n:", "integer"]),
        ({"format": "avi"}, ["format:", "'gif' or 'mp4'"]),
    ],
)
def test_bad_sample_parameters(client, params, words):
    problem(client.get("/api/models/videogan/sample", params=params), 422, *words)


def test_bad_predict_parameters(client, photo):
    response = client.post("/api/models/videogan_future/predict", files=upload(photo()), params={"format": "webm"})
    problem(response, 422, "format:")


def test_model_of_the_wrong_kind(client, photo):
    problem(
        client.post("/api/models/videogan/predict", files=upload(photo())),
        400,
        "unconditional",
        "/api/models/videogan/sample",
    )
    problem(client.get("/api/models/videogan_future/sample"), 400, "conditional", "/api/models/videogan_future/predict")


def test_bad_input_left_the_server_serving_without_a_traceback(client, server, tmp_path):
    (tmp_path / "notes.png").write_text("just text")
    for _ in range(3):
        assert (
            client.post("/api/models/videogan_future/predict", files=upload(tmp_path / "notes.png")).status_code == 400
        )
    assert client.get("/healthz").status_code == 200
    assert server.process.poll() is None
    assert "Traceback" not in server.log_text() and " 500 " not in server.log_text()


# --- load


def test_concurrent_requests_all_get_their_own_answer(client, photo):
    """24 predictions of 6 photos and 8 sample grids at once: every answer is the one the same
    request gets alone (the server batches the predictions, which must not change them)."""
    photos = [photo(f"p{i}.png", seed=i) for i in range(6)]
    alone = {
        p.name: gif_frames(client.post("/api/models/videogan_future/predict", files=upload(p)).content) for p in photos
    }
    sample_alone = client.get("/api/models/videogan/sample", params={"seed": 3, "n": 2}).content

    def predict(i):
        return photos[i % 6].name, client.post("/api/models/videogan_future/predict", files=upload(photos[i % 6]))

    with ThreadPoolExecutor(32) as pool:
        predictions = list(pool.map(predict, range(24)))
        samples = list(
            pool.map(lambda _: client.get("/api/models/videogan/sample", params={"seed": 3, "n": 2}), range(8))
        )
    for name, response in predictions:
        assert response.status_code == 200, response.text
        assert np.abs(gif_frames(response.content).astype(int) - alone[name]).max() <= 2
    assert all(response.status_code == 200 and response.content == sample_alone for response in samples)
