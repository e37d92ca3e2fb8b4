import assert from 'node:assert/strict';
import { analyseFixture, analyseText, summary } from './fixtures';

describe('Django migrations', () => {
  it('AddField of a plain field and RemoveField are columns-only; state-only operations are nothing', async () => {
    const analysis = await analyseFixture('django/shop/migrations/0002_order_note.py', 'django');
    assert.deepEqual(summary(analysis), ['13 add_column order.note', '18 remove_column order.legacy_flag']);
    assert.equal(analysis.columnsOnly, true);
  });

  it('AddField of a ForeignKey (positional arguments) adds a reference: beyond columns', async () => {
    const analysis = await analyseFixture('django/shop/migrations/0003_order_customer.py', 'django');
    assert.deepEqual(summary(analysis), ['9 add_reference order.customer']);
    assert.equal(analysis.columnsOnly, false);
  });

  it('every operation, RunSQL with its SQL parsed (lists, params, concatenation, constants), RunPython, SeparateDatabaseAndState', async () => {
    const analysis = await analyseFixture('django/shop/migrations/0004_everything.py', 'django');
    assert.deepEqual(summary(analysis), [
      '11 add_index shop_order',
      '20 create_table Invoice',
      '27 drop_table Cart',
      '28 rename_table Basket',
      '29 change_column_type order.total',
      '30 rename_column order.number',
      '31 create_table order.tags',
      '32 add_reference order.invoice',
      '33 add_index order',
      '34 add_index order',
      '35 remove_index order',
      '36 add_constraint order',
      '37 remove_constraint order',
      '38 add_constraint order',
      '39 extension',
      '40 rollback remove_index order_status_idx',
      '42 add_column shop_order.gift',
      '42 add_column shop_order.wrap',
      '46 data_change shop_order',
      '47 data_change',
      '50 rename_table shop_ghost',
    ]);
  });

  it('an operation the analyser does not know counts as beyond', async () => {
    const source = 'from django.db import migrations\nfrom shop.ops import LoadFixture\n\nclass Migration(migrations.Migration):\n    operations = [\n        LoadFixture("orders.json"),\n    ]\n';
    const analysis = await analyseText(source, 'django');
    assert.deepEqual(summary(analysis), ['6 other']);
    assert.equal(analysis.columnsOnly, false);
  });

  it('RunPython with reverse code reports the reverse as rollback', async () => {
    const source = 'from django.db import migrations\n\nclass Migration(migrations.Migration):\n    operations = [migrations.RunPython(forwards, backwards)]\n';
    assert.deepEqual(summary(await analyseText(source, 'django')), ['4 data_change', '4 rollback data_change']);
  });
});
