import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderPermissionsDoc } from './renderPermissionsDoc';

/** `npm run docs:permissions`: writes docs/permissions.md from the permission lists. */
const file = path.resolve(__dirname, '..', 'docs', 'permissions.md');
writeFileSync(file, renderPermissionsDoc());
console.log(`wrote ${path.relative(process.cwd(), file)}`);
