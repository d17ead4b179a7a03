// Placeholder entry; the renderer helper replaces it with the real app.
import { createRoot } from 'react-dom/client';

const root = document.getElementById('root');
if (root) createRoot(root).render(<p>Portscope</p>);
