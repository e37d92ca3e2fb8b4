// The extension's settings as one typed value, read per repository (settings may differ per folder).
import * as vscode from 'vscode';
import { Setting, SETTINGS_SECTION } from './ids';

export interface Settings {
  policyFile: string;
  preset: string;
  baseBranch: string;
  statusBarEnabled: boolean;
  fileDecorations: boolean;
  lineDecorations: boolean;
  codeLens: boolean;
  debounceMs: number;
  /** `OWNER/NAME` to sign off in; empty: from the origin remote. */
  githubRepository: string;
}

const key = (id: string) => id.slice(SETTINGS_SECTION.length + 1);

export function readSettings(scope?: vscode.Uri): Settings {
  const c = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  return {
    policyFile: c.get<string>(key(Setting.policyFile), '').trim(),
    preset: c.get<string>(key(Setting.preset), '').trim(),
    baseBranch: c.get<string>(key(Setting.baseBranch), '').trim(),
    statusBarEnabled: c.get<boolean>(key(Setting.statusBarEnabled), true),
    fileDecorations: c.get<boolean>(key(Setting.fileDecorations), true),
    lineDecorations: c.get<boolean>(key(Setting.lineDecorations), true),
    codeLens: c.get<boolean>(key(Setting.codeLens), true),
    debounceMs: Math.max(0, Math.min(5000, c.get<number>(key(Setting.debounceMs), 250))),
    githubRepository: c.get<string>(key(Setting.githubRepository), '').trim(),
  };
}

export function affectsSettings(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(SETTINGS_SECTION);
}
