import { isPrivateAddress, LookupAll, webhookUrlProblem } from './webhook-address';

const answering =
  (...addresses: string[]): LookupAll =>
  () =>
    Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
const notResolving: LookupAll = () => Promise.reject(new Error('getaddrinfo ENOTFOUND'));

describe('isPrivateAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.255.255.254', true],
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['0.0.0.0', true],
    ['100.64.0.1', true],
    ['100.128.0.1', false],
    ['224.0.0.1', true],
    ['255.255.255.255', true],
    ['8.8.8.8', false],
    ['93.184.216.34', false],
    ['::1', true],
    ['::', true],
    ['fc00::1', true],
    ['fd12:3456::1', true],
    ['fe80::1', true],
    ['fe80::1%eth0', true],
    ['ff02::1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:7f00:1', true],
    ['::FFFF:7F00:1', true],
    ['::ffff:10.0.0.1', true],
    ['::ffff:a9fe:a9fe', true],
    ['::127.0.0.1', true],
    ['64:ff9b::7f00:1', true],
    ['2002:c0a8:101::1', true],
    ['::ffff:8.8.8.8', false],
    ['::ffff:808:808', false],
    ['2606:4700:4700::1111', false],
    ['2001:4860:4860::8888', false],
    ['not an address', true],
  ])('should answer %s -> %s', (ip, expected) => {
    expect(isPrivateAddress(ip)).toBe(expected);
  });
});

describe('webhookUrlProblem', () => {
  const strict = { allowPrivate: false, lookup: answering('93.184.216.34') };

  it.each([
    ['not a url', /valid absolute URL/],
    ['/relative/path', /valid absolute URL/],
    ['ftp://hooks.example.com/', /http or https/],
    ['javascript:alert(1)', /http or https/],
    ['https://user:secret@hooks.example.com/', /credentials/],
    [`https://hooks.example.com/${'a'.repeat(2048)}`, /2048/],
    ['http://127.0.0.1:8080/', /private/],
    ['http://2130706433/', /private/],
    ['http://0x7f.1/', /private/],
    ['http://[::1]/', /private/],
    ['http://[::ffff:127.0.0.1]/', /private/],
    ['http://localhost:3000/', /private/],
    ['http://api.localhost./', /private/],
  ])('should refuse %s', async (url, message) => {
    await expect(webhookUrlProblem(url, strict)).resolves.toMatch(message);
  });

  it('should accept a name that resolves to public addresses only', async () => {
    await expect(webhookUrlProblem('https://hooks.example.test/path?q=1', strict)).resolves.toBeNull();
  });

  it('should refuse a name when any of its addresses is private', async () => {
    const lookup = answering('93.184.216.34', '10.0.0.5');
    await expect(webhookUrlProblem('https://hooks.example.test/', { allowPrivate: false, lookup })).resolves.toBe(
      'host hooks.example.test resolves to private address 10.0.0.5',
    );
  });

  it('should refuse a name that resolves to a mapped loopback', async () => {
    const lookup = answering('::ffff:7f00:1');
    await expect(webhookUrlProblem('https://hooks.example.test/', { allowPrivate: false, lookup })).resolves.toMatch(
      /private/,
    );
  });

  it('should accept a name that does not resolve, since the sender checks again', async () => {
    const lookup = notResolving;
    await expect(webhookUrlProblem('https://gone.example.test/', { allowPrivate: false, lookup })).resolves.toBeNull();
  });

  it('should accept a public IP literal without asking DNS', async () => {
    const lookup = jest.fn(notResolving);
    await expect(webhookUrlProblem('http://8.8.8.8/hook', { allowPrivate: false, lookup })).resolves.toBeNull();
    expect(lookup).not.toHaveBeenCalled();
  });

  it('should accept private targets when allowPrivate is set, still refusing bad shapes', async () => {
    const lookup = answering('127.0.0.1');
    await expect(webhookUrlProblem('http://localhost:3000/', { allowPrivate: true, lookup })).resolves.toBeNull();
    await expect(webhookUrlProblem('http://hooks.example.test/', { allowPrivate: true, lookup })).resolves.toBeNull();
    await expect(webhookUrlProblem('ftp://127.0.0.1/', { allowPrivate: true, lookup })).resolves.toMatch(/scheme/);
  });
});
