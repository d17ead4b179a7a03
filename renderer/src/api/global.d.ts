import type { PortscopeBridge } from '../../../shared/contract';

declare global {
  interface Window {
    /** The preload bridge; present only inside the Electron window (absent in browser mode). */
    portscope?: PortscopeBridge;
  }
}
