import { cpSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = dirname(fileURLToPath(import.meta.url));
const outDir = join(root, 'dist', 'web');
// A public folder assembled from nhsuk-frontend's images, so they are served from our own origin
// (no requests to assets.nhs.uk) and Vite can resolve the CSS references to them.
const publicDir = join(root, 'node_modules', '.cache', 'oversight-web-public');

function nhsukAssetsAsPublicDir(): Plugin {
  return {
    name: 'nhsuk-assets-public-dir',
    config() {
      cpSync(
        join(root, 'node_modules', 'nhsuk-frontend', 'dist', 'nhsuk', 'assets'),
        join(publicDir, 'nhsuk-assets'),
        {
          recursive: true,
        },
      );
    },
  };
}

export default defineConfig({
  root: join(root, 'src', 'web'),
  publicDir,
  plugins: [react(), nhsukAssetsAsPublicDir()],
  build: {
    outDir,
    emptyOutDir: true,
    chunkSizeWarningLimit: 700,
  },
  css: {
    preprocessorOptions: {
      scss: {
        // nhsuk-frontend's own Sass has deprecation notices that are not ours to fix.
        quietDeps: true,
        silenceDeprecations: ['import', 'global-builtin', 'color-functions'],
      },
    },
  },
});
