import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import { SECRET_MASK, settingsSchema, type FieldSpec, type SettingsInput, type SettingsView } from '../../../../shared/integrations/fields.js';
import { ConfigurationForm } from './ConfigurationForm.js';

const fields: FieldSpec[] = [
  { key: 'subdomain', kind: 'Text', label: 'Subdomain', required: true, help: 'The part before .syncromsp.com.', pattern: { regex: '^[a-z0-9-]+$', message: 'Use only letters, digits and hyphens' } },
  { key: 'api_token', kind: 'Secret', label: 'API token', required: true, help: 'From Admin › API Tokens.' },
  { key: 'region', kind: 'Select', label: 'Region', required: true, help: 'Where your account lives.', options: [{ value: 'us', label: 'United States' }, { value: 'eu', label: 'Europe' }] },
  { key: 'api_url', kind: 'Url', label: 'API address', required: false, help: 'Only for a dedicated instance.' },
  { key: 'sync_assets', kind: 'Bool', label: 'Import assets', required: false, help: 'Nightly.' },
];

const saved: SettingsView = { subdomain: 'acme', api_token: { isSet: true, last4: '1234' }, region: 'eu', api_url: '', sync_assets: true };

function setup(settings: SettingsView | null, extra: Partial<Parameters<typeof ConfigurationForm>[0]> = {}) {
  const submissions: SettingsInput[] = [];
  const tests: SettingsInput[] = [];
  const utils = render(
    <ConfigurationForm idPrefix="f" fields={fields} settings={settings} submitLabel="Save" onSubmit={(input) => submissions.push(input)} onTest={(input) => tests.push(input)} {...extra} />,
  );
  return { ...utils, submissions, tests, user: userEvent.setup() };
}

const describedText = (el: HTMLElement) =>
  (el.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' | ');

describe('ConfigurationForm: field kinds', () => {
  test('builds one labelled control per spec, with the right input for each kind', () => {
    setup(null);
    expect(screen.getByLabelText(/Subdomain/).getAttribute('type')).toBe('text');
    expect(screen.getByLabelText(/API token/, { selector: 'input' }).getAttribute('type')).toBe('password');
    expect(screen.getByLabelText(/API address/).getAttribute('type')).toBe('url');
    expect(screen.getByLabelText(/Import assets/).getAttribute('type')).toBe('checkbox');
    const region = screen.getByLabelText(/Region/);
    expect(region.tagName).toBe('SELECT');
    expect([...region.querySelectorAll('option')].map((o) => o.textContent)).toEqual(['Choose…', 'United States', 'Europe']);
  });

  test('marks required fields and links help text to its control', () => {
    setup(null);
    expect(screen.getByLabelText(/Subdomain/).getAttribute('aria-required')).toBe('true');
    expect(screen.getByLabelText(/API address/).getAttribute('aria-required')).toBeNull();
    expect(describedText(screen.getByLabelText(/Subdomain/))).toContain('The part before .syncromsp.com.');
    expect(describedText(screen.getByLabelText(/Import assets/))).toContain('Nightly.');
  });

  test('starts from the stored values in update mode', () => {
    setup(saved);
    expect((screen.getByLabelText(/Subdomain/) as HTMLInputElement).value).toBe('acme');
    expect((screen.getByLabelText(/Region/) as HTMLSelectElement).value).toBe('eu');
    expect((screen.getByLabelText(/Import assets/) as HTMLInputElement).checked).toBe(true);
  });
});

describe('ConfigurationForm: validation', () => {
  test('shows a field error as you type and clears it when the value becomes valid', async () => {
    const { user } = setup(null);
    const subdomain = screen.getByLabelText(/Subdomain/);
    await user.type(subdomain, 'Acme!');
    expect(subdomain.getAttribute('aria-invalid')).toBe('true');
    expect(describedText(subdomain)).toContain('Use only letters, digits and hyphens');
    await user.clear(subdomain);
    await user.type(subdomain, 'acme');
    expect(subdomain.getAttribute('aria-invalid')).toBeNull();
    expect(describedText(subdomain)).not.toContain('Use only');
  });

  test('checks a URL field as a URL, and leaves an optional one blank', async () => {
    const { user } = setup(null);
    const url = screen.getByLabelText(/API address/);
    await user.type(url, 'ftp://example.com');
    expect(describedText(url)).toContain('API address must be an http(s) URL');
    await user.clear(url);
    expect(url.getAttribute('aria-invalid')).toBeNull();
  });

  test('submitting an empty create form flags every required field, summarises, focuses the first and does not submit', async () => {
    const { user, submissions } = setup(null);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(submissions).toEqual([]);
    for (const label of [/Subdomain/, /API token/, /Region/]) expect(screen.getByLabelText(label).getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toContain('3 fields need attention: Subdomain, API token, Region.');
    expect(document.activeElement).toBe(screen.getByLabelText(/Subdomain/));
    expect(describedText(screen.getByLabelText(/API token/, { selector: 'input' }))).toContain('API token is required');
  });

  test('a valid create form submits values the shared schema accepts', async () => {
    const { user, submissions } = setup(null);
    await user.type(screen.getByLabelText(/Subdomain/), 'acme');
    await user.type(screen.getByLabelText(/API token/, { selector: 'input' }), 'tok-9876');
    await user.selectOptions(screen.getByLabelText(/Region/), 'eu');
    await user.click(screen.getByLabelText(/Import assets/));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(submissions).toEqual([{ subdomain: 'acme', api_token: 'tok-9876', region: 'eu', api_url: '', sync_assets: true }]);
    expect(settingsSchema(fields, 'create').safeParse(submissions[0]).success).toBe(true);
  });

  test('"Test these values" validates first, then hands over the unsaved values', async () => {
    const { user, tests } = setup(saved);
    const subdomain = screen.getByLabelText(/Subdomain/);
    await user.clear(subdomain);
    await user.click(screen.getByRole('button', { name: 'Test these values' }));
    expect(tests).toEqual([]);
    await user.type(subdomain, 'acme-it');
    await user.click(screen.getByRole('button', { name: 'Test these values' }));
    expect(tests).toEqual([{ subdomain: 'acme-it', api_token: SECRET_MASK, region: 'eu', api_url: '', sync_assets: true }]);
  });
});

describe('ConfigurationForm: saved secrets', () => {
  test('shows a saved secret as "Saved ••••1234" with Replace, and no value anywhere', () => {
    const { container } = setup(saved);
    expect(screen.getByText(/Saved/).textContent).toBe('Saved ••••1234');
    expect(screen.getByRole('button', { name: 'Replace API token' })).toBeTruthy();
    expect(container.querySelector('input[type="password"]')).toBeNull();
  });

  test('leaving a saved secret alone sends the mask, which means keep', async () => {
    const { user, submissions } = setup(saved);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(submissions[0]?.api_token).toBe(SECRET_MASK);
    expect(settingsSchema(fields, 'update').safeParse(submissions[0]).success).toBe(true);
  });

  test('Replace opens a blank input (focused); left blank it still keeps the saved secret', async () => {
    const { user, submissions } = setup(saved);
    await user.click(screen.getByRole('button', { name: 'Replace API token' }));
    const input = screen.getByLabelText(/API token/, { selector: 'input' });
    expect(input.getAttribute('type')).toBe('password');
    expect(document.activeElement).toBe(input);
    expect(describedText(input)).toContain('leave blank to keep');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(submissions[0]?.api_token).toBe(SECRET_MASK);
  });

  test('a typed replacement is sent; "Keep saved" goes back to the mask', async () => {
    const { user, submissions } = setup(saved);
    await user.click(screen.getByRole('button', { name: 'Replace API token' }));
    await user.type(screen.getByLabelText(/API token/, { selector: 'input' }), 'new-token-5678');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(submissions[0]?.api_token).toBe('new-token-5678');
    await user.click(screen.getByRole('button', { name: 'Keep the saved API token' }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Replace API token' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(submissions[1]?.api_token).toBe(SECRET_MASK);
  });

  test('a required secret that was never saved is required in update mode too', async () => {
    const { user, submissions } = setup({ ...saved, api_token: { isSet: false, last4: null } });
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(submissions).toEqual([]);
    expect(describedText(screen.getByLabelText(/API token/, { selector: 'input' }))).toContain('API token is required');
  });
});

describe('ConfigurationForm: server errors', () => {
  test('shows server field errors inline until that field is edited, and unknown ones in the summary', async () => {
    const serverErrors = { 'settings.subdomain': ['No Syncro account answers at acme.syncromsp.com'], settings: ['Try again later'] };
    const { user } = setup(saved, { serverErrors });
    const subdomain = screen.getByLabelText(/Subdomain/);
    expect(subdomain.getAttribute('aria-invalid')).toBe('true');
    expect(describedText(subdomain)).toContain('No Syncro account answers at acme.syncromsp.com');
    expect(screen.getByRole('alert').textContent).toContain('Try again later');
    await user.type(subdomain, '-it');
    expect(subdomain.getAttribute('aria-invalid')).toBeNull();
  });
});
