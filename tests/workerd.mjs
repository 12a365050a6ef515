// Runs the built worker in workerd through Miniflare (the library `wrangler dev` itself uses),
// without what `wrangler dev` adds for a developer: no DevTools inspector (wrangler has no
// flag to turn its inspector proxy off, and that proxy costs node CPU on every subrequest), no
// proxy worker in front, no request log. The same bindings as the generated wrangler.toml:
// SITES (SQLite Durable Objects), ASSETS, and the variables of `.dev.vars`.
//
// Usage: node tests/workerd.mjs <config.json>, written by `harness::local` with
// { main, assets, port, persist, compatibilityDate, compatibilityFlags, bindings }.
// Prints "ready <url>" once workerd listens; stops on SIGTERM/SIGINT.

import { readFileSync } from "node:fs";
import { dirname, basename } from "node:path";
import { createRequire } from "node:module";

// Miniflare is wrangler's dependency: resolve it from wrangler's own folder, so it is the exact
// version wrangler runs.
const require = createRequire(import.meta.url);
const wrangler = dirname(require.resolve("wrangler/package.json"));
const { Miniflare, Log, LogLevel } = require(
  createRequire(`${wrangler}/`).resolve("miniflare"),
);

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const mf = new Miniflare({
  host: "127.0.0.1",
  port: config.port,
  log: new Log(LogLevel.WARN),
  logRequests: false,
  // workerd's own output (the worker's console errors, runtime errors) goes to this process's.
  handleRuntimeStdio(stdout, stderr) {
    stdout.pipe(process.stdout);
    stderr.pipe(process.stderr);
  },
  // The fallback `request.cf` (no fetch of Cloudflare's sample from the network).
  cf: false,
  modules: true,
  modulesRoot: dirname(config.main),
  scriptPath: config.main,
  modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
  compatibilityDate: config.compatibilityDate,
  compatibilityFlags: config.compatibilityFlags,
  bindings: config.bindings,
  durableObjects: { SITES: { className: "SiteStore", useSQLite: true } },
  // As wrangler configures it: assets first, then the worker for every other path.
  assets: {
    directory: config.assets,
    binding: "ASSETS",
    routerConfig: { has_user_worker: true },
  },
  defaultPersistRoot: config.persist,
});

const url = await mf.ready;
console.log(`ready ${url} (${basename(config.main)})`);
const stop = async () => {
  await mf.dispose();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
