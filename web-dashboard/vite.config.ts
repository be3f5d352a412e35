import { defineConfig } from 'vitest/config';

// The build goes straight into the Maven module's classes: the jar then holds web/index.html (the
// dashboard) and web/wall.html (the wall), which call-server serves at "/" and "/wall" when the jar
// is on its classpath.
export default defineConfig({
  base: './',
  build: {
    outDir: 'target/classes/web',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    rollupOptions: {
      input: { index: 'index.html', wall: 'wall.html' },
    },
  },
  server: {
    // `npm run dev`: the REST API comes from a call-server on 8080 (Socket.io is reached directly on
    // its own port; start the server with SWITCHBOARD_CORS_ORIGINS=http://localhost:5173).
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
