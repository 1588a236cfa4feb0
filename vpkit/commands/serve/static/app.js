// vpkit serve's page: pick a model, then predict from a photo (conditional models; k photos or a
// short video for a model given k > 1 context frames) or draw
// samples (unconditional ones). Everything goes through the same HTTP API as any client.
"use strict";

const PAD = 2; // pixels around and between the columns of a video grid (vpkit/engine/train/grids.py)
const $ = (id) => document.getElementById(id);
let models = {};
let current = null; // {blob, seed, download(fmt) -> Promise<Blob>} of the video on show

async function errorText(response) {
  try {
    return (await response.json()).detail;
  } catch {
    return `${response.status} ${response.statusText}`;
  }
}

function setStatus(text, isError = false) {
  $("status").textContent = text;
  $("status").classList.toggle("error", isError);
}

async function init() {
  const response = await fetch("/api/models");
  if (!response.ok) return setStatus(await errorText(response), true);
  for (const model of await response.json()) {
    models[model.name] = model;
    $("model").add(new Option(`${model.name} (${model.kind})`, model.name));
  }
  $("model").addEventListener("change", showModel);
  showModel();
}

function showModel() {
  const model = models[$("model").value];
  const parts = model.parts.length ? `; parts: ${model.parts.join(", ")}` : "";
  $("model-info").textContent =
    `${model.generator}, ${model.frames} frames of ${model.size} x ${model.size} at ${model.fps} fps, ` +
    `step ${model.step} (${model.checkpoint})${parts}`;
  $("predict").hidden = model.kind !== "conditional";
  $("sample").hidden = model.kind === "conditional";
  $("result").hidden = true;
  const several = model.kind === "conditional" && model.context > 1;
  $("photo").multiple = several;
  $("photo").accept = several ? "image/*,video/*" : "image/*";
  $("drop-what").textContent = several ? `Drop ${model.context} photos (in order) or a short video here` : "Drop a photo here";
  const ask = several ? `Drop or choose ${model.context} photos, or a video.` : "Drop or choose a photo.";
  setStatus(model.kind === "conditional" ? ask : "Pick a seed and generate.");
}

// --- requests

async function request(url, options, what) {
  setStatus(`${what}…`);
  const started = performance.now();
  const response = await fetch(url, options);
  if (!response.ok) {
    setStatus(await errorText(response), true);
    return null;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  return {
    blob: await response.blob(),
    seed: response.headers.get("X-Vpkit-Seed"),
    columns: response.headers.get("X-Vpkit-Columns").split(","),
    seconds,
  };
}

async function predict(files) {
  const model = models[$("model").value];
  files = Array.from(files).sort((a, b) => a.name.localeCompare(b.name)); // the order of their names
  const file = files[0];
  const form = () => {
    const data = new FormData();
    for (const each of files) data.append("image", each);
    return data;
  };
  const url = (fmt, parts, seed) =>
    `/api/models/${encodeURIComponent(model.name)}/predict?format=${fmt}&parts=${parts}` + (seed ? `&seed=${seed}` : "");
  const result = await request(url("mp4", true), { method: "POST", body: form() }, `Predicting from ${file.name}`);
  if (!result) return;
  // The downloads are the prediction alone, made with the same seed as the video on show.
  show(model, result, `Prediction from ${file.name}`, "prediction", async (fmt) => {
    const response = await fetch(url(fmt, false, result.seed), { method: "POST", body: form() });
    if (!response.ok) throw new Error(await errorText(response));
    return response.blob();
  });
}

async function sample() {
  const model = models[$("model").value];
  const seed = $("seed").value || "0";
  const count = $("count").value || "4";
  const url = (fmt) => `/api/models/${encodeURIComponent(model.name)}/sample?seed=${seed}&n=${count}&format=${fmt}`;
  const result = await request(url("mp4"), {}, `Sampling ${count} videos`);
  if (!result) return;
  show(model, result, `${count} samples`, "samples", async (fmt) => {
    const response = await fetch(url(fmt));
    if (!response.ok) throw new Error(await errorText(response));
    return response.blob();
  });
}

// --- the result

function show(model, result, what, kind, download) {
  const video = $("video");
  if (video.src) URL.revokeObjectURL(video.src);
  current = { ...result, download, name: `${model.name}-${kind}-${result.seed}` };
  for (const fmt of ["gif", "mp4"]) {
    const link = $(`download-${fmt}`);
    if (link.href.startsWith("blob:")) URL.revokeObjectURL(link.href);
    link.href = "#";
    link.dataset.ready = "";
    link.download = `${current.name}.${fmt}`;
  }
  video.onloadedmetadata = () => placeLabels(video, result.columns);
  video.src = URL.createObjectURL(result.blob);
  $("result").hidden = false;
  setStatus(`${what}: step ${model.step}, seed ${result.seed}, ${result.seconds} s`);
}

function placeLabels(video, columns) {
  const scale = Math.max(1, Math.floor(Math.min(880 / video.videoWidth, 420 / video.videoHeight)));
  video.style.width = `${video.videoWidth * scale}px`;
  const width = (video.videoWidth - PAD) / columns.length - PAD;
  const labels = $("labels");
  labels.replaceChildren();
  columns.forEach((name, i) => {
    const label = document.createElement("span");
    label.textContent = name === "video" ? (columns[0] === "input" ? "prediction" : "sample") : name;
    label.style.left = `${(PAD + i * (width + PAD) + width / 2) * scale}px`;
    labels.append(label);
  });
}

async function downloadClicked(event, fmt) {
  const link = event.currentTarget;
  if (link.dataset.ready || !current) return; // the blob is there: let the browser save it
  event.preventDefault();
  try {
    link.href = URL.createObjectURL(await current.download(fmt));
    link.dataset.ready = "yes";
    link.click();
  } catch (error) {
    setStatus(error.message, true);
  }
}

// --- wiring

function wire() {
  const drop = $("drop");
  drop.addEventListener("dragover", (event) => {
    event.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    if (event.dataTransfer.files.length) predict(event.dataTransfer.files);
  });
  $("photo").addEventListener("change", () => {
    if ($("photo").files.length) predict($("photo").files);
    $("photo").value = ""; // choosing the same file again predicts again
  });
  $("generate").addEventListener("click", sample);
  $("new-seed").addEventListener("click", () => {
    $("seed").value = Math.floor(Math.random() * 2 ** 31);
    sample();
  });
  for (const fmt of ["gif", "mp4"]) $(`download-${fmt}`).addEventListener("click", (event) => downloadClicked(event, fmt));
}

wire();
init();
