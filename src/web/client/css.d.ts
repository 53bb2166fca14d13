// esbuild bundles the panel's stylesheet from main.tsx's import into its own hashed .css file.
declare module '*.css';
