// Placeholder; the preload exposes window.portscope (issue 3).
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('portscope', {});
