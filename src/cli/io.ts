// What the CLI needs from its process, handed in so that `runCli` runs the same in a test.
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal (colour). */
  isTTY: boolean;
  /** The process's stdin, for text piped in (`record set FIELD -`). Absent: there is none. */
  stdin?: { isTTY: boolean; read(): Promise<string>; readLine?(): Promise<string> };
  /** Calls `handler` on Ctrl-C (SIGINT) until the returned function is called. Absent: no interrupts. */
  onInterrupt?: (handler: () => void) => () => void;
}
