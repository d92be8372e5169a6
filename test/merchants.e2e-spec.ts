import { Cinema } from '../src/catalog/entities/cinema.entity';
import { MerchantApplication } from '../src/merchants/entities/merchant-application.entity';
import { User } from '../src/users/entities/user.entity';
import { applicationBody } from './support/catalog';
import { givenUser } from './support/factories';
import { bootTestApp, TestApp, unique } from './support/test-app';

describe('Merchant applications (CONTRACT section 3)', () => {
  let t: TestApp;
  const api = '/api/v1/merchant-applications';

  beforeAll(async () => {
    t = await bootTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  const applicationRow = (id: number) => t.db.getRepository(MerchantApplication).findOneByOrFail({ id });
  const userRow = (id: number) => t.db.getRepository(User).findOneByOrFail({ id });

  async function givenApplication(suffix = unique()) {
    const applicant = await givenUser(t, 'customer');
    const res = await t.http.post(api).set(applicant.auth).send(applicationBody(suffix)).expect(201);
    return { applicant, application: res.body.data };
  }

  describe('POST /merchant-applications', () => {
    it('should file a pending application for the caller with every field of the contract', async () => {
      const applicant = await givenUser(t, 'customer');
      const body = applicationBody(unique(), {
        email: 'Boss@Example.com',
        website: 'https://cinema.example.com',
        taxCertificateUrl: 'https://files.example.com/tax.pdf',
        description: '三个厅',
      });
      const res = await t.http.post(api).set(applicant.auth).send(body).expect(201);
      expect(res.body.code).toBe(1000);
      expect(res.body.data).toEqual({
        id: expect.any(Number),
        userId: applicant.user.id,
        status: 'pending',
        cinemaName: body.cinemaName,
        city: 'Hangzhou',
        address: body.address,
        legalPerson: '张三',
        contactName: '李四',
        contactPhone: '0571-8888 6666',
        email: 'boss@example.com',
        website: 'https://cinema.example.com',
        taxCertificateUrl: 'https://files.example.com/tax.pdf',
        description: '三个厅',
        rejectReason: null,
        cinemaId: null,
        createdAt: expect.stringMatching(/Z$/),
        reviewedAt: null,
      });
      const row = await applicationRow(res.body.data.id);
      expect(row).toMatchObject({ status: 'pending', userId: applicant.user.id, pendingUserId: applicant.user.id });
    });

    it('should answer the optional fields as null when left out', async () => {
      const { application } = await givenApplication();
      expect(application).toMatchObject({ email: null, website: null, taxCertificateUrl: null, description: null });
    });

    it('should refuse a caller without a token with 401 and 1007', async () => {
      const res = await t.http.post(api).send(applicationBody(unique())).expect(401);
      expect(res.body.code).toBe(1007);
    });

    it.each([
      ['cinemaName', { cinemaName: '   ' }],
      ['city', { city: undefined }],
      ['contactPhone', { contactPhone: 'call me' }],
      ['email', { email: 'not-an-email' }],
      ['website', { website: 'javascript:alert(1)' }],
      ['taxCertificateUrl', { taxCertificateUrl: 'tax.pdf' }],
      ['legalPerson', { legalPerson: 'x'.repeat(51) }],
      ['extra', { extra: 'field' }],
    ])('should refuse a bad %s with 400 and 1002 naming the field', async (field, override) => {
      const applicant = await givenUser(t, 'customer');
      const res = await t.http.post(api).set(applicant.auth).send(applicationBody(unique(), override)).expect(400);
      expect(res.body.code).toBe(1002);
      expect(res.body.data).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      expect(await t.db.getRepository(MerchantApplication).countBy({ userId: applicant.user.id })).toBe(0);
    });

    it('should refuse a second application while one is pending with 409 and 1015', async () => {
      const { applicant } = await givenApplication();
      const res = await t.http.post(api).set(applicant.auth).send(applicationBody(unique())).expect(409);
      expect(res.body).toMatchObject({ code: 1015, data: null });
      expect(await t.db.getRepository(MerchantApplication).countBy({ userId: applicant.user.id })).toBe(1);
    });

    it('should let exactly one of two simultaneous applications through', async () => {
      const applicant = await givenUser(t, 'customer');
      const results = await Promise.all(
        [1, 2, 3].map(() => t.http.post(api).set(applicant.auth).send(applicationBody(unique()))),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
      expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 1015)).toBe(true);
      expect(await t.db.getRepository(MerchantApplication).countBy({ userId: applicant.user.id })).toBe(1);
    });
  });

  describe('GET /merchant-applications/mine', () => {
    it("should list only the caller's applications, newest first, with total", async () => {
      const { applicant, application: first } = await givenApplication();
      const admin = await givenUser(t, 'admin');
      await t.http.post(`${api}/${first.id}/reject`).set(admin.auth).send({ reason: 'blurry licence' }).expect(200);
      const second = (await t.http.post(api).set(applicant.auth).send(applicationBody(unique())).expect(201)).body.data;
      await givenApplication();

      const res = await t.http.get(`${api}/mine`).set(applicant.auth).expect(200);
      expect(res.body.total).toBe(2);
      expect(res.body.data.map((a: { id: number }) => a.id)).toEqual([second.id, first.id]);
      expect(res.body.data[1]).toMatchObject({ status: 'rejected', rejectReason: 'blurry licence' });

      const paged = await t.http.get(`${api}/mine?page=2&pageSize=1`).set(applicant.auth).expect(200);
      expect(paged.body).toMatchObject({ total: 2, data: [{ id: first.id }] });
    });

    it('should answer an empty page to someone who never applied', async () => {
      const nobody = await givenUser(t, 'customer');
      const res = await t.http.get(`${api}/mine`).set(nobody.auth).expect(200);
      expect(res.body).toEqual({ code: 1000, msg: 'ok', data: [], total: 0 });
    });
  });

  describe('GET /merchant-applications', () => {
    it('should list applications by status for an admin, with total', async () => {
      const admin = await givenUser(t, 'admin');
      const { application: pending } = await givenApplication();
      const { application: rejected } = await givenApplication();
      await t.http.post(`${api}/${rejected.id}/reject`).set(admin.auth).send({ reason: 'no licence' }).expect(200);

      const res = await t.http.get(`${api}?status=pending&pageSize=100`).set(admin.auth).expect(200);
      const ids = res.body.data.map((a: { id: number }) => a.id);
      expect(ids).toContain(pending.id);
      expect(ids).not.toContain(rejected.id);
      expect(res.body.data.every((a: { status: string }) => a.status === 'pending')).toBe(true);
      expect(res.body.total).toBeGreaterThanOrEqual(1);

      const all = await t.http.get(`${api}?pageSize=100`).set(admin.auth).expect(200);
      expect(all.body.data.map((a: { id: number }) => a.id)).toEqual(expect.arrayContaining([pending.id, rejected.id]));
      const createdAts = all.body.data.map((a: { createdAt: string }) => a.createdAt);
      expect([...createdAts].sort().reverse()).toEqual(createdAts);
    });

    it('should refuse non-admins with 403 and 1013', async () => {
      for (const role of ['customer', 'merchant'] as const) {
        const caller = await givenUser(t, role);
        const res = await t.http.get(api).set(caller.auth).expect(403);
        expect(res.body.code).toBe(1013);
      }
    });

    it('should refuse an unknown status with 1002', async () => {
      const admin = await givenUser(t, 'admin');
      const res = await t.http.get(`${api}?status=maybe`).set(admin.auth).expect(400);
      expect(res.body).toMatchObject({ code: 1002, data: [{ field: 'status' }] });
    });
  });

  describe('POST /merchant-applications/:id/approve', () => {
    it('should approve, create the cinema owned by the applicant and make them a merchant', async () => {
      const admin = await givenUser(t, 'admin');
      const { applicant, application } = await givenApplication();
      const res = await t.http.post(`${api}/${application.id}/approve`).set(admin.auth).expect(200);
      expect(res.body.data).toMatchObject({
        id: application.id,
        status: 'approved',
        cinemaId: expect.any(Number),
        reviewedAt: expect.stringMatching(/Z$/),
        rejectReason: null,
      });

      const cinema = await t.db.getRepository(Cinema).findOneByOrFail({ id: res.body.data.cinemaId });
      expect(cinema).toMatchObject({
        name: application.cinemaName,
        city: application.city,
        address: application.address,
        ownerId: applicant.user.id,
        status: 'active',
        contactName: '李四',
        contactPhone: '0571-8888 6666',
      });
      expect(await applicationRow(application.id)).toMatchObject({ status: 'approved', pendingUserId: null });
      expect(await userRow(applicant.user.id)).toMatchObject({ role: 'merchant', tokenVersion: 1 });
    });

    it("should revoke the applicant's old tokens so that the next login carries the new role", async () => {
      const admin = await givenUser(t, 'admin');
      const { applicant, application } = await givenApplication();
      await t.http.post(`${api}/${application.id}/approve`).set(admin.auth).expect(200);
      const res = await t.http.get(`${api}/mine`).set(applicant.auth).expect(401);
      expect(res.body.code).toBe(1007);
    });

    it('should let the merchant apply again for another cinema once approved', async () => {
      const admin = await givenUser(t, 'admin');
      const merchant = await givenUser(t, 'merchant');
      const first = (await t.http.post(api).set(merchant.auth).send(applicationBody(unique())).expect(201)).body.data;
      await t.http.post(`${api}/${first.id}/approve`).set(admin.auth).expect(200);
      // A merchant keeps the role, so nothing about their tokens goes stale.
      expect(await userRow(merchant.user.id)).toMatchObject({ role: 'merchant', tokenVersion: 0 });
      await t.http.post(api).set(merchant.auth).send(applicationBody(unique())).expect(201);
    });

    it('should keep an admin applicant an admin', async () => {
      const admin = await givenUser(t, 'admin');
      const applicantAdmin = await givenUser(t, 'admin');
      const application = (await t.http.post(api).set(applicantAdmin.auth).send(applicationBody(unique())).expect(201))
        .body.data;
      const res = await t.http.post(`${api}/${application.id}/approve`).set(admin.auth).expect(200);
      expect(await userRow(applicantAdmin.user.id)).toMatchObject({ role: 'admin', tokenVersion: 0 });
      const cinema = await t.db.getRepository(Cinema).findOneByOrFail({ id: res.body.data.cinemaId });
      expect(cinema.ownerId).toBe(applicantAdmin.user.id);
    });

    it('should refuse to approve twice with 1001 and a clear message, creating one cinema only', async () => {
      const admin = await givenUser(t, 'admin');
      const { applicant, application } = await givenApplication();
      await t.http.post(`${api}/${application.id}/approve`).set(admin.auth).expect(200);
      const res = await t.http.post(`${api}/${application.id}/approve`).set(admin.auth).expect(400);
      expect(res.body).toEqual({ code: 1001, msg: expect.stringMatching(/already approved/), data: null });
      expect(await t.db.getRepository(Cinema).countBy({ ownerId: applicant.user.id })).toBe(1);
    });

    it('should let exactly one of two admins approving at once win', async () => {
      const [first, second] = [await givenUser(t, 'admin'), await givenUser(t, 'admin')];
      const { applicant, application } = await givenApplication();
      const results = await Promise.all(
        [first, second].map((admin) => t.http.post(`${api}/${application.id}/approve`).set(admin.auth)),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
      expect(results.find((r) => r.status === 400)?.body.code).toBe(1001);
      expect(await t.db.getRepository(Cinema).countBy({ ownerId: applicant.user.id })).toBe(1);
      expect(await userRow(applicant.user.id)).toMatchObject({ role: 'merchant', tokenVersion: 1 });
    });

    it('should answer an unknown application with 404 and 1014, a bad id with 1002', async () => {
      const admin = await givenUser(t, 'admin');
      expect((await t.http.post(`${api}/999999999/approve`).set(admin.auth).expect(404)).body.code).toBe(1014);
      const bad = await t.http.post(`${api}/abc/approve`).set(admin.auth).expect(400);
      expect(bad.body).toMatchObject({ code: 1002, data: [{ field: 'id' }] });
    });

    it('should refuse a non-admin with 1013 and leave the application pending', async () => {
      const { applicant, application } = await givenApplication();
      const res = await t.http.post(`${api}/${application.id}/approve`).set(applicant.auth).expect(403);
      expect(res.body.code).toBe(1013);
      expect((await applicationRow(application.id)).status).toBe('pending');
    });
  });

  describe('POST /merchant-applications/:id/reject', () => {
    it('should reject with the reason, keep the role and let the applicant apply again', async () => {
      const admin = await givenUser(t, 'admin');
      const { applicant, application } = await givenApplication();
      const res = await t.http
        .post(`${api}/${application.id}/reject`)
        .set(admin.auth)
        .send({ reason: ' 营业执照不清晰 ' })
        .expect(200);
      expect(res.body.data).toMatchObject({
        status: 'rejected',
        rejectReason: '营业执照不清晰',
        cinemaId: null,
        reviewedAt: expect.stringMatching(/Z$/),
      });
      expect(await applicationRow(application.id)).toMatchObject({ status: 'rejected', pendingUserId: null });
      expect(await userRow(applicant.user.id)).toMatchObject({ role: 'customer', tokenVersion: 0 });
      await t.http.post(api).set(applicant.auth).send(applicationBody(unique())).expect(201);
    });

    it('should refuse a missing or blank reason with 1002', async () => {
      const admin = await givenUser(t, 'admin');
      const { application } = await givenApplication();
      for (const body of [{}, { reason: '  ' }]) {
        const res = await t.http.post(`${api}/${application.id}/reject`).set(admin.auth).send(body).expect(400);
        expect(res.body).toMatchObject({ code: 1002, data: [{ field: 'reason' }] });
      }
      expect((await applicationRow(application.id)).status).toBe('pending');
    });

    it('should refuse to reject an approved application with 1001', async () => {
      const admin = await givenUser(t, 'admin');
      const { application } = await givenApplication();
      await t.http.post(`${api}/${application.id}/approve`).set(admin.auth).expect(200);
      const res = await t.http.post(`${api}/${application.id}/reject`).set(admin.auth).send({ reason: 'late' });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 1001, msg: expect.stringMatching(/already approved/) });
      expect(await applicationRow(application.id)).toMatchObject({ status: 'approved', rejectReason: null });
    });

    it('should refuse to approve a rejected application with 1001', async () => {
      const admin = await givenUser(t, 'admin');
      const { application } = await givenApplication();
      await t.http.post(`${api}/${application.id}/reject`).set(admin.auth).send({ reason: 'no' }).expect(200);
      const res = await t.http.post(`${api}/${application.id}/approve`).set(admin.auth).expect(400);
      expect(res.body).toMatchObject({ code: 1001, msg: expect.stringMatching(/already rejected/) });
    });

    it('should answer an unknown application with 1014 and a customer with 1013', async () => {
      const admin = await givenUser(t, 'admin');
      const customer = await givenUser(t, 'customer');
      await t.http.post(`${api}/999999999/reject`).set(admin.auth).send({ reason: 'x' }).expect(404);
      const res = await t.http.post(`${api}/1/reject`).set(customer.auth).send({ reason: 'x' }).expect(403);
      expect(res.body.code).toBe(1013);
    });
  });
});
