export type { ToastItem, ToastKind } from './toast-store';
export { toast, useToastStore } from './toast-store';
export { Toaster } from './toaster';
