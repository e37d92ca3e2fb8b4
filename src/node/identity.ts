// Who is acting, as both doors record it: git's `user.name <user.email>` for the repository, else
// whichever of the two is set, else the login name. One place, so an attestation made in the
// terminal and one made in the editor name the same person the same way.
import type { Git } from '../core/ports';

export async function gitIdentity(git: Git, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const read = async (key: string) => (await git.run(['config', '--get', key], { okExitCodes: [1] })).stdout.toString('utf8').trim();
  const [name, email] = await Promise.all([read('user.name'), read('user.email')]);
  return name && email ? `${name} <${email}>` : name || email || env.USER || env.USERNAME || 'unknown';
}
