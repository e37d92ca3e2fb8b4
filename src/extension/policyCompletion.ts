// Completion in the policy file without a YAML language server. With Red Hat's YAML extension
// installed, `contributes.yamlValidation` already gives completion and validation from the same
// generated schema, so this provider steps aside.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { POLICY_SCHEMA_PATH } from './ids';
import { completionsAt, type SchemaNode } from './policyCompletionModel';

const YAML_EXTENSION = 'redhat.vscode-yaml';
export const POLICY_DOCUMENTS: vscode.DocumentSelector = [
  { pattern: '**/.github/change-control.{yml,yaml}' },
  { pattern: '**/.change-control.{yml,yaml}' },
];

export function registerPolicyCompletion(extensionPath: string): vscode.Disposable {
  let schema: SchemaNode | undefined;
  const provider: vscode.CompletionItemProvider = {
    provideCompletionItems(document, position) {
      if (vscode.extensions.getExtension(YAML_EXTENSION)) return [];
      schema ??= JSON.parse(fs.readFileSync(path.join(extensionPath, POLICY_SCHEMA_PATH), 'utf8')) as SchemaNode;
      const lines = Array.from({ length: document.lineCount }, (_, i) => document.lineAt(i).text);
      return completionsAt(schema, lines, position.line, position.character).map((c) => {
        const item = new vscode.CompletionItem(c.label, c.kind === 'property' ? vscode.CompletionItemKind.Property : vscode.CompletionItemKind.EnumMember);
        item.insertText = c.insertText;
        if (c.documentation) item.documentation = new vscode.MarkdownString(c.documentation);
        item.detail = 'Change Control policy';
        return item;
      });
    },
  };
  return vscode.languages.registerCompletionItemProvider(POLICY_DOCUMENTS, provider, ' ');
}
