// Run by scripts/build.mjs at install: compresses static/ once, for every process after it.
import { staticAssets } from './web/assets';

const assets = staticAssets().all();
console.log(`static files: ${assets.length} ready, compressed in dist/compressed`);
