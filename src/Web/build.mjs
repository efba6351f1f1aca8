// Bundles the console: src/main.tsx (pages, shared UI, API client) into dist/assets with
// content-hashed names, code-split (the admin editor's CodeMirror loads only on admin pages), then writes
// dist/index.html pointing at them. No inline script or style: CSP default-src 'self'. (The API reference is Scalar's
// own page, /scalar/v1, served by the Host.)
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.dirname(new URL(import.meta.url).pathname);
const dist = path.join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
mkdirSync(path.join(dist, 'assets'), { recursive: true });

const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: { app: 'src/main.tsx' },
  bundle: true,
  splitting: true,
  format: 'esm',
  target: 'chrome110',
  minify: true,
  sourcemap: false,
  outdir: 'dist/assets',
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  assetNames: '[name]-[hash]',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
});

const outputs = Object.entries(result.metafile.outputs);
const find = (entry, ext) => {
  const hit = outputs.find(([file, o]) => o.entryPoint === entry && file.endsWith(ext))
    ?? outputs.find(([file]) => file.endsWith(ext) && path.basename(file).startsWith('app-'));
  return hit ? '/assets/' + path.basename(hit[0]) : null;
};
const appJs = find('src/main.tsx', '.js');
const appCss = outputs.map(([f]) => f).find(f => f.endsWith('.css') && path.basename(f).startsWith('app-'));
const page = (title, body) => readFileSync(path.join(root, 'index.html'), 'utf8')
  .replace('%TITLE%', title)
  .replace('%CSS%', appCss ? `<link rel="stylesheet" href="/assets/${path.basename(appCss)}">` : '')
  .replace('%BODY%', body);
writeFileSync(path.join(dist, 'index.html'), page('Telephony console',
  `<div id="app"></div>\n  <script type="module" src="${appJs}"></script>`));
writeFileSync(path.join(dist, 'assets', 'favicon.svg'), readFileSync(path.join(root, 'favicon.svg')));
// Plain interop pages (src/interop: JsSIP and SIP.js as they come from npm, not our UI), served by the Host under
// /interop/ only when http.interopPages is on.
mkdirSync(path.join(dist, 'interop'), { recursive: true });
await esbuild.build({
  absWorkingDir: root, entryPoints: { jssip: 'src/interop/jssip.ts', sipjs: 'src/interop/sipjs.ts' }, bundle: true,
  format: 'esm', target: 'chrome110', minify: true, outdir: 'dist/interop', legalComments: 'linked', logLevel: 'warning',
});
for (const [name, library] of [['jssip', 'JsSIP'], ['sipjs', 'SIP.js']]) {
  writeFileSync(path.join(dist, 'interop', name + '.html'), readFileSync(path.join(root, 'src', 'interop', 'page.html'), 'utf8')
    .replaceAll('%NAME%', name).replaceAll('%LIBRARY%', library));
}
const size = outputs.reduce((n, [, o]) => n + o.bytes, 0);
console.log(`web console: ${outputs.length} files, ${(size / 1024).toFixed(0)} KiB in dist/assets`);
