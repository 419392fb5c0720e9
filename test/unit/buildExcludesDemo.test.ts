import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * `npm run build` (dist/, the container) compiles src/ only: the demo tenant is a dev tool
 * (`npm start`), so nothing in src/ may import demo/, which would pull it into the build.
 */
describe('the production build', () => {
  it('compiles only files under src/, none under demo/', () => {
    const tsc = require.resolve('typescript/bin/tsc');
    const listed = execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--listFilesOnly'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
      .split('\n')
      .map((f) => path.resolve(f.trim()))
      .filter((f) => f !== ROOT && !f.split(path.sep).includes('node_modules'));
    const ours = listed.map((f) => path.relative(ROOT, f));
    expect(ours.length).toBeGreaterThan(50);
    expect(ours.filter((f) => !f.startsWith(`src${path.sep}`))).toEqual([]);
    expect(ours).toContain(path.join('src', 'main.ts'));
  });
});
