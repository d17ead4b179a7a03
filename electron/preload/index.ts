import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

// Checklist 20: "Do not expose Electron APIs to untrusted web content".
// The renderer's only door to the main process: named functions from the contract, nothing generic
// (no ipcRenderer, no channel argument). Bundled as one CJS file because the preload is sandboxed.
contextBridge.exposeInMainWorld('portscope', createBridge(ipcRenderer));
