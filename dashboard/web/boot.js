// Starts the dashboard: `cargo xtask build` fills in the hashed module names.
import init, { run } from "./__GLUE__";

init({ module_or_path: new URL("./__WASM__", import.meta.url) })
  .then(run)
  .catch(function (e) {
    var app = document.getElementById("app");
    var p = document.createElement("p");
    p.className = "error";
    p.setAttribute("role", "alert");
    p.textContent = "The dashboard could not start: " + e;
    app.replaceChildren(p);
  });
