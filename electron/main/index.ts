// Placeholder; the Electron shell is built in electron/main (issue 3).
import { app } from 'electron';

app.whenReady().then(() => app.quit());
