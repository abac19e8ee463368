// What every test that starts a process of its own needs: where the repository is, and a free port
// on loopback for a server to listen on.
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

export const HOST = '127.0.0.1'
export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url))

/** A port on loopback that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, HOST, () => {
      const address = probe.address()
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}
