"""The page of ``vpkit serve`` in a real browser: headless Chromium (Debian's ``chromium`` and
``chromium-driver``, which .ci/run installs) driven by Selenium against the real server.

A screenshot of each page checked is saved as a test artefact in ``$VPKIT_TEST_ARTIFACTS``
(default ``test-artifacts/`` at the repository root).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).parents[4]
ARTIFACTS = Path(os.environ.get("VPKIT_TEST_ARTIFACTS", ROOT / "test-artifacts"))
INSTALL = "apt-get install -y chromium chromium-driver"
# Without these, Chromium reaches out to the network on its own (updates, sync, QUIC probes),
# and on a closed network its connections fail.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1100,800",
]


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """A headless Chromium; the test fails, naming the missing part, when it is not installed."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.fail(
            f"the browser test needs Debian's chromium and chromium-driver ({INSTALL}); "
            f"found chromium: {chromium}, chromedriver: {driver}"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in [*FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"]:
        options.add_argument(flag)
    downloads = tmp_path_factory.mktemp("downloads")
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    chrome = webdriver.Chrome(options=options, service=Service(driver))
    chrome.downloads = downloads
    yield chrome
    chrome.quit()


def wait_for(condition, what: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def playing(chrome) -> dict | None:
    """The video element's state once it shows a decoded frame and its time moves on, else None."""
    state = chrome.execute_script(
        "const v = document.getElementById('video');"
        "return {ready: v.readyState, paused: v.paused, time: v.currentTime, width: v.videoWidth,"
        " height: v.videoHeight, loop: v.loop, visible: !document.getElementById('result').hidden};"
    )
    if state["ready"] < 2 or state["paused"] or not state["visible"]:
        return None
    time.sleep(0.3)
    later = chrome.execute_script("return document.getElementById('video').currentTime")
    return state if later != state["time"] else None


def status(chrome) -> str:
    return chrome.find_element("id", "status").text


def screenshot(chrome, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    chrome.save_screenshot(str(path))
    return path


def open_page(chrome, server, model: str) -> None:
    """Load the page afresh and pick ``model``."""
    from selenium.webdriver.support.ui import Select

    chrome.get(server.url + "/")
    wait_for(lambda: chrome.find_elements("css selector", "#model option"), "the model list")
    Select(chrome.find_element("id", "model")).select_by_value(model)


def predict(chrome, server, picture: Path) -> dict:
    open_page(chrome, server, "videogan_future")
    chrome.find_element("id", "photo").send_keys(str(picture))
    return wait_for(lambda: playing(chrome), "the prediction to play")


def test_photo_to_prediction_playing_beside_it(browser, server, photo):
    open_page(browser, server, "videogan_future")
    assert "videogan_future, 4 frames of 16 x 16" in browser.find_element("id", "model-info").text
    assert (
        browser.find_element("id", "predict").is_displayed() and not browser.find_element("id", "sample").is_displayed()
    )
    browser.find_element("id", "photo").send_keys(str(photo("beach.png", 64, 48)))
    state = wait_for(lambda: playing(browser), "the prediction to play")
    assert state["loop"] and (state["width"], state["height"]) == (2 + 5 * 18, 2 + 18)
    labels = [label.text for label in browser.find_elements("css selector", "#labels span")]
    assert labels == ["input", "prediction", "foreground", "mask", "background"]
    assert "Prediction from beach.png" in status(browser)
    path = screenshot(browser, "serve-predict.png")
    with Image.open(path) as shot:
        assert shot.size[0] > 500


def test_download_gif_of_the_prediction(browser, server, photo):
    """The GIF link saves the prediction alone (not the row on show)."""
    predict(browser, server, photo())
    browser.find_element("id", "download-gif").click()
    saved = wait_for(lambda: [p for p in browser.downloads.glob("*.gif")], "the GIF download")
    assert saved[0].name.startswith("videogan_future-prediction-")
    with Image.open(saved[0]) as gif:
        assert gif.size == (16, 16) and gif.format == "GIF"


def test_not_a_photo_shows_the_servers_message(browser, server, tmp_path):
    open_page(browser, server, "videogan_future")
    (tmp_path / "notes.png").write_text("just text")
    browser.find_element("id", "photo").send_keys(str(tmp_path / "notes.png"))
    wait_for(lambda: "error" in browser.find_element("id", "status").get_attribute("class"), "the error")
    assert status(browser) == "notes.png: not an image Pillow can read"


def test_unconditional_model_samples_by_seed(browser, server):
    open_page(browser, server, "videogan")
    assert (
        browser.find_element("id", "sample").is_displayed() and not browser.find_element("id", "predict").is_displayed()
    )
    seed = browser.find_element("id", "seed")
    seed.clear()
    seed.send_keys("11")
    browser.find_element("id", "generate").click()
    state = wait_for(lambda: playing(browser), "the samples to play")
    assert (state["width"], state["height"]) == (2 + 4 * 18, 2 + 4 * 18)  # 4 rows: video and 3 parts
    assert "seed 11," in status(browser)
    browser.find_element("id", "new-seed").click()
    new_seed = seed.get_attribute("value")
    assert new_seed != "11"
    # The comma ends the number: a new seed such as 1173 must not pass for 11.
    wait_for(lambda: f"seed {new_seed}," in status(browser), "the samples of the new seed")
    screenshot(browser, "serve-sample.png")
