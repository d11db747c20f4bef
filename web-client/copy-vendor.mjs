// Build step (run by Maven, see pom.xml): copies the pinned Twilio browser bundles from node_modules
// into the jar's vendor/ folder. The page loads them as vendor/video.js and vendor/conversations.js,
// so the names do not depend on how each package lays out its dist folder.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const target = process.argv[2];
if (!target) {
  console.error('usage: node copy-vendor.mjs <target vendor dir>');
  process.exit(2);
}

const bundles = [
  { pkg: 'twilio-video', file: 'dist/twilio-video.min.js', license: 'LICENSE.md', as: 'video.js' },
  { pkg: '@twilio/conversations', file: 'builds/twilio-conversations.min.js', license: 'LICENSE', as: 'conversations.js' },
];

mkdirSync(join(target, 'licenses'), { recursive: true });
const versions = {};
for (const { pkg, file, license, as } of bundles) {
  const root = join('node_modules', pkg);
  const source = join(root, file);
  if (!existsSync(source)) {
    console.error(`copy-vendor: ${source} is missing; did 'npm ci' run, or did ${pkg} move its browser bundle?`);
    process.exit(1);
  }
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  // The bundles end with a sourceMappingURL to a .map we do not ship; drop it so browsers do not ask for it.
  const code = readFileSync(source, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
  writeFileSync(join(target, as), code);
  copyFileSync(join(root, license), join(target, 'licenses', `${as.replace(/\.js$/, '')}.LICENSE.txt`));
  versions[as] = `${pkg}@${version}`;
  console.log(`copy-vendor: ${pkg}@${version} -> ${join(dirname(target), 'vendor', as)}`);
}
writeFileSync(join(target, 'versions.json'), JSON.stringify(versions, null, 2) + '\n');
