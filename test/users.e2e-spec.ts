import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { User } from '../src/users/entities/user.entity';
import { loginWithPassword, newEmail, newName, newPhone } from './support/accounts';
import { DEFAULT_PASSWORD, givenUser, GivenUser } from './support/factories';
import { bootTestApp, TestApp, unique } from './support/test-app';

const MiB = 1024 * 1024;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0]);
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1');
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([26, 0, 0, 0]), Buffer.from('WEBPVP8 ')]);
const sized = (head: Buffer, size: number) => Buffer.concat([head, Buffer.alloc(size - head.length, 7)]);

describe('Users (CONTRACT 2)', () => {
  let t: TestApp;
  let admin: GivenUser;

  beforeAll(async () => {
    t = await bootTestApp();
    admin = await givenUser(t, 'admin');
  });

  afterAll(async () => {
    await t.close();
  });

  const fields = (res: { body: { data: { field: string }[] } }) => res.body.data.map((e) => e.field);

  describe('GET/PATCH /users/me', () => {
    it('should answer the caller as a user object without any secret', async () => {
      const phone = newPhone();
      const u = await givenUser(t, 'customer', { phone, nickname: 'Nick' });
      const res = await t.http.get('/api/v1/users/me').set(u.auth).expect(200);
      expect(res.body.data).toEqual({
        id: u.user.id,
        name: u.user.name,
        nickname: 'Nick',
        gender: 'unknown',
        phone,
        email: null,
        role: 'customer',
        avatarUrl: null,
        disabled: false,
        createdAt: u.user.createdAt.toISOString(),
      });
      expect(JSON.stringify(res.body)).not.toMatch(/argon2|passwordHash|tokenVersion/);
    });

    it('should change name, nickname and gender, and clear the nickname with null', async () => {
      const u = await givenUser(t, 'customer', { nickname: 'Old' });
      const name = newName();
      const res = await t.http.patch('/api/v1/users/me').set(u.auth).send({ name, gender: 'male' }).expect(200);
      expect(res.body.data).toMatchObject({ name, nickname: 'Old', gender: 'male' });
      await t.http.patch('/api/v1/users/me').set(u.auth).send({ nickname: null }).expect(200);
      const row = await t.db.getRepository(User).findOneByOrFail({ id: u.user.id });
      expect(row).toMatchObject({ name, nameKey: name.toLowerCase(), nickname: null, gender: 'male' });
      await loginWithPassword(t, name.toUpperCase(), DEFAULT_PASSWORD);
    });

    it('should answer 1004 for a name another user has in any case', async () => {
      const other = await givenUser(t);
      const u = await givenUser(t);
      const res = await t.http.patch('/api/v1/users/me').set(u.auth).send({ name: other.user.name.toUpperCase() });
      expect([res.status, res.body.code]).toEqual([409, 1004]);
      await t.http.patch('/api/v1/users/me').set(u.auth).send({ name: u.user.name.toUpperCase() }).expect(200);
    });

    it('should refuse bad fields with 1002, and anything without a token with 1007', async () => {
      const u = await givenUser(t);
      const cases: [Record<string, unknown>, string][] = [
        [{ name: '123456' }, 'name'],
        [{ gender: 'x' }, 'gender'],
        [{ nickname: '' }, 'nickname'],
        [{ role: 'admin' }, 'role'],
        [{ phone: newPhone() }, 'phone'],
      ];
      for (const [body, field] of cases) {
        expect(fields(await t.http.patch('/api/v1/users/me').set(u.auth).send(body).expect(400))).toContain(field);
      }
      expect((await t.http.get('/api/v1/users/me').expect(401)).body.code).toBe(1007);
      expect((await t.http.patch('/api/v1/users/me').send({}).expect(401)).body.code).toBe(1007);
    });
  });

  describe('POST /users/me/password', () => {
    it('should change the password with the old one and keep the session', async () => {
      const u = await givenUser(t);
      const change = (body: object) => t.http.post('/api/v1/users/me/password').set(u.auth).send(body);
      expect((await change({ oldPassword: 'Wrong9999', password: 'Brand9New' }).expect(401)).body.code).toBe(1005);
      expect(fields(await change({ oldPassword: DEFAULT_PASSWORD, password: 'nodigits' }).expect(400))).toEqual([
        'password',
      ]);
      expect((await change({ oldPassword: DEFAULT_PASSWORD, password: 'Brand9New' }).expect(200)).body.data).toBeNull();
      await loginWithPassword(t, u.user.name, DEFAULT_PASSWORD, 401);
      await loginWithPassword(t, u.user.name, 'Brand9New');
      await t.http.get('/api/v1/users/me').set(u.auth).expect(200);
    });
  });

  describe('POST /users/me/avatar', () => {
    const upload = (u: GivenUser, content: Buffer, filename = 'a.png') =>
      t.http.post('/api/v1/users/me/avatar').set(u.auth).attach('file', content, filename);
    const fileOf = (avatarUrl: string) => join(t.dir, 'uploads', 'avatars', avatarUrl.split('/').pop()!);

    it('should store the image under a random name, serve it, and remove the previous one', async () => {
      const u = await givenUser(t);
      const first = await upload(u, PNG, 'me.png').expect(200);
      const firstUrl: string = first.body.data.avatarUrl;
      expect(firstUrl).toMatch(/^\/uploads\/avatars\/[0-9a-f]{32}\.png$/);
      const served = await t.http.get(firstUrl).expect(200);
      expect(served.headers['content-type']).toBe('image/png');
      expect(Buffer.from(served.body as Buffer).equals(PNG)).toBe(true);
      const second = await upload(u, JPEG, 'whatever.png').expect(200);
      expect(second.body.data.avatarUrl).toMatch(/\.jpg$/);
      expect(existsSync(fileOf(firstUrl))).toBe(false);
      expect(existsSync(fileOf(second.body.data.avatarUrl))).toBe(true);
      await t.http.get(firstUrl).expect(404);
      const me = await t.http.get('/api/v1/users/me').set(u.auth).expect(200);
      expect(me.body.data.avatarUrl).toBe(second.body.data.avatarUrl);
    });

    it('should accept GIF and WebP, and exactly 2 MiB', async () => {
      const u = await givenUser(t);
      expect((await upload(u, GIF, 'x.gif').expect(200)).body.data.avatarUrl).toMatch(/\.gif$/);
      expect((await upload(u, WEBP, 'x.webp').expect(200)).body.data.avatarUrl).toMatch(/\.webp$/);
      await upload(u, sized(PNG, 2 * MiB)).expect(200);
    });

    it('should answer 413 + 1002 over 2 MiB and keep the old avatar', async () => {
      const u = await givenUser(t);
      const kept = (await upload(u, PNG).expect(200)).body.data.avatarUrl;
      const res = await upload(u, sized(PNG, 2 * MiB + 1)).expect(413);
      expect(res.body).toMatchObject({
        code: 1002,
        data: [{ field: 'file', message: expect.stringMatching(/2 MiB/) }],
      });
      expect((await t.db.getRepository(User).findOneByOrFail({ id: u.user.id })).avatarUrl).toBe(kept);
      expect(existsSync(fileOf(kept))).toBe(true);
    });

    it('should refuse what is not an image by content, and a missing file, with 1002 on file', async () => {
      const u = await givenUser(t);
      const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
      expect(fields(await upload(u, svg, 'evil.png').expect(400))).toEqual(['file']);
      expect(fields(await upload(u, Buffer.from('just text'), 'a.jpg').expect(400))).toEqual(['file']);
      const noFile = await t.http.post('/api/v1/users/me/avatar').set(u.auth).field('x', '1').expect(400);
      expect(fields(noFile)).toEqual(['file']);
      const empty = await t.http.post('/api/v1/users/me/avatar').set(u.auth).expect(400);
      expect(fields(empty)).toEqual(['file']);
      const wrongField = await t.http.post('/api/v1/users/me/avatar').set(u.auth).attach('avatar', PNG, 'a.png');
      expect([wrongField.status, ...fields(wrongField)]).toEqual([400, 'file']);
      expect((await t.db.getRepository(User).findOneByOrFail({ id: u.user.id })).avatarUrl).toBeNull();
    });
  });

  describe('admin: GET /users and PATCH /users/:id', () => {
    it('should list users newest first with total, filtered by q and role', async () => {
      const tag = unique('q');
      const m1 = await givenUser(t, 'merchant', { name: `${tag}_m1` });
      const c1 = await givenUser(t, 'customer', { name: `${tag}_c1` });
      const m2 = await givenUser(t, 'merchant', { name: `x_${unique()}`, email: `${tag}@Mail.test`.toLowerCase() });
      const all = await t.http.get('/api/v1/users').query({ q: tag.toUpperCase() }).set(admin.auth).expect(200);
      expect(all.body.total).toBe(3);
      expect(all.body.data.map((u: { id: number }) => u.id)).toEqual([m2.user.id, c1.user.id, m1.user.id]);
      const merchants = await t.http
        .get('/api/v1/users')
        .query({ q: tag, role: 'merchant', pageSize: 1 })
        .set(admin.auth);
      expect(merchants.body.total).toBe(2);
      expect(merchants.body.data).toHaveLength(1);
      const page2 = await t.http.get('/api/v1/users').query({ q: tag, role: 'merchant', pageSize: 1, page: 2 });
      expect(page2.status).toBe(401);
      const second = await t.http
        .get('/api/v1/users')
        .query({ q: tag, role: 'merchant', pageSize: 1, page: 2 })
        .set(admin.auth)
        .expect(200);
      expect(second.body.data[0].id).toBe(m1.user.id);
      expect(JSON.stringify(all.body)).not.toMatch(/argon2|passwordHash/);
    });

    it('should treat % and _ in q as plain characters', async () => {
      const res = await t.http.get('/api/v1/users').query({ q: '%' }).set(admin.auth).expect(200);
      expect(res.body.total).toBe(0);
    });

    it('should refuse non-admins with 1013 and bad queries with 1002', async () => {
      const merchant = await givenUser(t, 'merchant');
      expect((await t.http.get('/api/v1/users').set(merchant.auth).expect(403)).body.code).toBe(1013);
      const target = await givenUser(t);
      const patch = await t.http.patch(`/api/v1/users/${target.user.id}`).set(merchant.auth).send({ disabled: true });
      expect([patch.status, patch.body.code]).toEqual([403, 1013]);
      expect(fields(await t.http.get('/api/v1/users?role=boss').set(admin.auth).expect(400))).toEqual(['role']);
      expect(fields(await t.http.get('/api/v1/users?pageSize=101').set(admin.auth).expect(400))).toEqual(['pageSize']);
    });

    it('should change a role and revoke the user’s tokens', async () => {
      const u = await givenUser(t);
      const res = await t.http
        .patch(`/api/v1/users/${u.user.id}`)
        .set(admin.auth)
        .send({ role: 'merchant' })
        .expect(200);
      expect(res.body.data).toMatchObject({ id: u.user.id, role: 'merchant', disabled: false });
      expect((await t.http.get('/api/v1/users/me').set(u.auth).expect(401)).body.code).toBe(1007);
      const again = await loginWithPassword(t, u.user.name, DEFAULT_PASSWORD);
      expect(again.body.data.user.role).toBe('merchant');
    });

    it('should disable a user: its tokens answer 1007 and its login 1013, until enabled again', async () => {
      const u = await givenUser(t);
      await t.http.patch(`/api/v1/users/${u.user.id}`).set(admin.auth).send({ disabled: true }).expect(200);
      expect((await t.http.get('/api/v1/users/me').set(u.auth).expect(401)).body.code).toBe(1007);
      expect((await loginWithPassword(t, u.user.name, DEFAULT_PASSWORD, 403)).body.code).toBe(1013);
      const enabled = await t.http.patch(`/api/v1/users/${u.user.id}`).set(admin.auth).send({ disabled: false });
      expect(enabled.body.data.disabled).toBe(false);
      await loginWithPassword(t, u.user.name, DEFAULT_PASSWORD);
    });

    it('should leave tokens alone when nothing changes', async () => {
      const u = await givenUser(t);
      await t.http.patch(`/api/v1/users/${u.user.id}`).set(admin.auth).send({ role: 'customer' }).expect(200);
      await t.http.get('/api/v1/users/me').set(u.auth).expect(200);
    });

    it('should answer 1014 for an unknown id, 1002 for a bad id or body, 1013 for changing oneself', async () => {
      expect((await t.http.patch('/api/v1/users/99999999').set(admin.auth).send({ disabled: true })).body.code).toBe(
        1014,
      );
      expect(fields(await t.http.patch('/api/v1/users/abc').set(admin.auth).send({}).expect(400))).toEqual(['id']);
      const u = await givenUser(t);
      const bad = await t.http
        .patch(`/api/v1/users/${u.user.id}`)
        .set(admin.auth)
        .send({ role: 'root', disabled: 'yes' });
      expect(fields(bad)).toEqual(expect.arrayContaining(['role', 'disabled']));
      const self = await t.http.patch(`/api/v1/users/${admin.user.id}`).set(admin.auth).send({ disabled: true });
      expect([self.status, self.body.code]).toEqual([403, 1013]);
      await t.http.get('/api/v1/users/me').set(admin.auth).expect(200);
    });

    it('should still route PATCH /users/me to the profile, not to an admin update of id "me"', async () => {
      const u = await givenUser(t, 'admin', { email: newEmail().toLowerCase() });
      await t.http.patch('/api/v1/users/me').set(u.auth).send({ gender: 'female' }).expect(200);
    });
  });
});
