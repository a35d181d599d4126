// Copies the browser builds of runtime dependencies into vendor/ (not committed),
// so pages and tests import them by a relative path without a bundler.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const files = [
    ['node_modules/pako/dist/pako.esm.mjs', 'vendor/pako.esm.mjs'],
    // wstelnet.html: the terminal emulator, its stylesheet and the fit addon (ES module builds)
    ['node_modules/@xterm/xterm/lib/xterm.mjs', 'vendor/xterm.mjs'],
    ['node_modules/@xterm/xterm/css/xterm.css', 'vendor/xterm.css'],
    ['node_modules/@xterm/addon-fit/lib/addon-fit.mjs', 'vendor/addon-fit.mjs'],
];

mkdirSync(join(root, 'vendor'), { recursive: true });
for (const [from, to] of files) {
    copyFileSync(join(root, from), join(root, to));
}
