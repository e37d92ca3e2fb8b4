import * as assert from 'node:assert/strict';
import { apiUrlForHost, parseGitHubRemote, parseRepoSlug } from '../../src/core/github/remote';

describe('the GitHub repository of a remote', () => {
  const cases: [string, string | undefined][] = [
    ['https://github.com/acme/shop.git', 'github.com acme/shop'],
    ['https://github.com/acme/shop', 'github.com acme/shop'],
    ['https://token@github.com/acme/shop.git/', 'github.com acme/shop'],
    ['git@github.com:acme/shop.git', 'github.com acme/shop'],
    ['github.com:acme/shop', 'github.com acme/shop'],
    ['ssh://git@github.com/acme/shop.git', 'github.com acme/shop'],
    ['ssh://git@ssh.github.com:443/acme/shop.git', 'github.com acme/shop'],
    ['git://github.com/acme/shop.git', 'github.com acme/shop'],
    ['https://ghe.example.com/platform/billing.git', 'ghe.example.com platform/billing'],
    ['https://ghe.example.com:8443/platform/billing', 'ghe.example.com:8443 platform/billing'],
    ['ssh://git@ghe.example.com:2222/platform/billing.git', 'ghe.example.com platform/billing'],
    ['git@ghe.example.com:platform/billing.git', 'ghe.example.com platform/billing'],
    ['/srv/git/shop.git', undefined],
    ['../origin.git', undefined],
    ['file:///srv/git/acme/shop.git', undefined],
    ['https://github.com/acme', undefined],
    ['https://github.com/acme/shop/tree/main', undefined],
    ['C:/repos/shop', undefined],
  ];
  for (const [url, expected] of cases) {
    it(`${url} → ${expected ?? 'none'}`, () => {
      const r = parseGitHubRemote(url);
      assert.equal(r ? `${r.host} ${r.owner}/${r.name}` : undefined, expected);
    });
  }

  it('reads OWNER/NAME as typed, and refuses anything else', () => {
    assert.deepEqual(parseRepoSlug('acme/shop'), { owner: 'acme', name: 'shop' });
    assert.deepEqual(parseRepoSlug(' acme/shop.git '), { owner: 'acme', name: 'shop' });
    for (const bad of ['acme', 'acme/shop/x', '-acme/shop', 'acme/..', 'https://github.com/acme/shop']) assert.equal(parseRepoSlug(bad), undefined, bad);
  });

  it('finds the API of github.com and of an Enterprise Server host', () => {
    assert.equal(apiUrlForHost('github.com'), 'https://api.github.com');
    assert.equal(apiUrlForHost('ghe.example.com'), 'https://ghe.example.com/api/v3');
  });
});
