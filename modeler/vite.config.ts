import path from 'node:path';
import { defineConfig } from 'vite';
import { bpmnlintConfig } from './lint-config';
import { formJsPreact } from './one-preact';
import { precompress } from './precompress';

const here = import.meta.dirname;

/** The browser apps (modeler, worklist, dashboard): pages of one build in modeler/dist, served by server/routes/static-apps.ts. */
export default defineConfig({
  root: here,
  base: './',
  logLevel: 'warn',
  plugins: [bpmnlintConfig(), formJsPreact(path.join(here, '..')), precompress()],
  build: {
    outDir: path.join(here, 'dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
    sourcemap: false,
    rollupOptions: {
      input: {
        modeler: path.join(here, 'index.html'),
        worklist: path.join(here, 'worklist.html'),
        dashboard: path.join(here, 'dashboard.html'),
      },
    },
  },
});
