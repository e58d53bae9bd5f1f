import { spawn } from 'node:child_process';

/** dev-mongo in a child process, as an external database would be: the bench's process is measured alone. */
export interface DevMongoProcess {
  uri: string;
  pid: number;
  stop(): void;
}

export async function startDevMongoProcess(): Promise<DevMongoProcess> {
  // Garbage collection on one thread: the stand-in's parallel collections otherwise took both cores
  // for tens of ms at a time, starving the bot's main thread, which a database of its own would not.
  const child = spawn(process.execPath, ['--single-threaded-gc', '--import', 'tsx', 'src/cli.ts', 'dev-mongo', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const uri = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const m = /listening on (\S+)/.exec(chunk.toString());
      if (m?.[1]) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`dev-mongo exited with ${code}`)));
  });
  return { uri, pid: child.pid ?? 0, stop: () => child.kill('SIGTERM') };
}
