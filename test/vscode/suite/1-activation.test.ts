import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Command, EXTENSION_ID, State } from '../../../src/extension/ids';
import { changeControl, folder, until, view } from './host';

describe('activation in the real extension host', () => {
  it('activates and registers every command', async () => {
    const api = await changeControl();
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive);
    const commands = new Set(await vscode.commands.getCommands(true));
    for (const id of Object.values(Command)) assert.ok(commands.has(id), `${id} is registered`);
    await api.whenIdle();
  });

  it('finds one repository per folder of the multi-root workspace, and the folder that is not one', async () => {
    const api = await changeControl();
    await until('three repository views', () => api.repositories().length === 3);
    await api.whenIdle();
    assert.deepEqual(
      api.repositories().map((r) => r.name).sort(),
      ['app', 'lib', 'notes'],
    );
    assert.equal(view(api, folder('notes')).state, State.noRepository);
  });

  it('assesses in a remote extension host (code-server), where nothing of a desktop host is there', async () => {
    // These suites run in code-server, whose extension host is remote: remoteName is set there.
    assert.equal(typeof vscode.env.remoteName, 'string', 'the suites run in a remote extension host');
    const api = await changeControl();
    await api.whenIdle();
    assert.equal(view(api, folder('app')).state, State.assessed, 'the repository was assessed in the remote host');
  });
});
