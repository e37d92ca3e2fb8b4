import assert from 'node:assert/strict';
import { describeOperation } from '../../../src/core/migrations/describe';
import type { MigrationOperation } from '../../../src/core/migrations/types';

const op = (over: Partial<MigrationOperation>): MigrationOperation => ({
  kind: 'change_column_type',
  table: 'consumer_events',
  column: 'table_oid',
  line: 9,
  direction: 'forward',
  source: 'modify :table_oid, :bigint',
  ...over,
});

describe('describeOperation', () => {
  it('says what the operation does and that it is beyond adding and removing columns', () => {
    assert.equal(describeOperation(op({})), '`modify :table_oid, :bigint` changes a column type — beyond adding and removing columns');
  });

  it('names the allowed set when the policy allows more than columns', () => {
    assert.equal(
      describeOperation(op({ kind: 'drop_table', source: 'drop table(:carts)' }), ['add_column', 'remove_column', 'add_index']),
      '`drop table(:carts)` drops a table — beyond the allowed operations (add_column, remove_column, add_index)',
    );
  });

  it('carries the note of what could not be read, and says it is counted as beyond', () => {
    const sentence = describeOperation(op({ kind: 'raw_sql', source: 'ALTER TABLE a SPLURGE', note: 'statement could not be parsed as PostgreSQL or MySQL' }));
    assert.equal(sentence, '`ALTER TABLE a SPLURGE` could not be analysed: statement could not be parsed as PostgreSQL or MySQL — counted as beyond adding and removing columns');
  });

  it('quotes sources holding backticks', () => {
    assert.match(describeOperation(op({ source: 'ALTER TABLE `a` MODIFY `b` BIGINT' })), /^`` ALTER TABLE `a` MODIFY `b` BIGINT `` changes a column type/);
  });

  it('says when an operation is allowed or rollback', () => {
    assert.equal(describeOperation(op({ kind: 'add_column', source: 'add :note, :text' })), '`add :note, :text` adds a column');
    assert.match(describeOperation(op({ direction: 'rollback' })), /rollback code, not counted$/);
  });
});
