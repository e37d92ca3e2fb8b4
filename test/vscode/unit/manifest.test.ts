// package.json's contributions must agree with src/extension/ids.ts, the one place ids are declared.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CATEGORY,
  Color,
  COMMAND_TITLES,
  Command,
  EXTENSION_ID,
  HIDDEN_COMMANDS,
  POLICY_SCHEMA_PATH,
  Setting,
  VIEW_NAMES,
  View,
  ViewContainer,
} from '../../../src/extension/ids';

function findRoot(dir: string): string {
  return fs.existsSync(path.join(dir, 'esbuild.js')) ? dir : findRoot(path.dirname(dir));
}
const root = findRoot(__dirname);
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const contributes = manifest.contributes;

describe('package.json agrees with src/extension/ids.ts', () => {
  it('has the fixed identity', () => {
    assert.equal(`${manifest.publisher}.${manifest.name}`, EXTENSION_ID);
    assert.equal(manifest.displayName, 'Change Control');
    assert.equal(manifest.engines.vscode, '^1.100.0');
  });

  it('contributes exactly the declared commands, with their titles and category', () => {
    const declared = Object.values(Command).sort();
    const contributed = contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepEqual(contributed, declared);
    for (const c of contributes.commands) {
      assert.equal(c.title, COMMAND_TITLES[c.command as keyof typeof COMMAND_TITLES], c.command);
      assert.equal(c.category, CATEGORY, c.command);
    }
    assert.equal(COMMAND_TITLES[Command.signOff], 'Sign Off');
  });

  it('hides tree-only commands from the palette', () => {
    const hidden = contributes.menus.commandPalette.filter((m: { when: string }) => m.when === 'false').map((m: { command: string }) => m.command);
    assert.deepEqual(hidden.sort(), [...HIDDEN_COMMANDS].sort());
  });

  it('contributes the view container and the checklist view', () => {
    assert.deepEqual(contributes.viewsContainers.activitybar.map((c: { id: string }) => c.id), [ViewContainer.changeControl]);
    const views = contributes.views[ViewContainer.changeControl];
    assert.deepEqual(views.map((v: { id: string; name: string }) => [v.id, v.name]), [[View.checklist, VIEW_NAMES[View.checklist]]]);
    const icon = contributes.viewsContainers.activitybar[0].icon;
    assert.ok(fs.existsSync(path.join(root, icon)), `${icon} exists`);
    for (const w of contributes.viewsWelcome) assert.equal(w.view, View.checklist);
  });

  it('contributes exactly the declared colours', () => {
    assert.deepEqual(contributes.colors.map((c: { id: string }) => c.id).sort(), Object.values(Color).sort());
  });

  it('contributes exactly the declared settings', () => {
    assert.deepEqual(Object.keys(contributes.configuration.properties).sort(), Object.values(Setting).sort());
  });

  it('every command id used in menus and welcome views is declared', () => {
    const declared = new Set<string>(Object.values(Command));
    for (const list of Object.values(contributes.menus) as { command: string }[][]) {
      for (const m of list) assert.ok(declared.has(m.command), m.command);
    }
    for (const w of contributes.viewsWelcome) {
      for (const [, id] of (w.contents as string).matchAll(/\(command:(changeControl\.[A-Za-z]+)/g)) assert.ok(declared.has(id), id);
    }
  });

  it('points the policy schema at the file generated from the engine', () => {
    for (const v of contributes.yamlValidation) assert.equal(v.url, POLICY_SCHEMA_PATH);
    const schema = JSON.parse(fs.readFileSync(path.join(root, POLICY_SCHEMA_PATH), 'utf8'));
    assert.equal(schema.title, 'Change Control policy');
    assert.ok(schema.properties.levels && schema.properties.zones && schema.properties.checklist, 'levels, zones and checklist are described');
  });

  it('activates lazily', () => {
    assert.ok(!manifest.activationEvents.includes('*'), 'no "*" activation');
  });
});
