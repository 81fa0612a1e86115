import type { Role } from '../../../shared/auth.js';
import { AppError } from '../../../shared/errors.js';
import type { SettingsInput } from '../../../shared/integrations/fields.js';

/**
 * Who may run "Test connection". Testing the saved configuration changes no setting (it records
 * the health it finds, as the scheduler does), and it is the first thing a technician does when
 * something looks wrong, so every user of the partner may; the test is audited as theirs. Testing
 * unsaved settings sends credentials someone typed to the vendor: that stays with partner admins,
 * who are the ones allowed to save them.
 */
export function assertMayTest(caller: { role: Role }, settings: SettingsInput | undefined): void {
  if (settings !== undefined && caller.role !== 'partner_admin') {
    throw new AppError('FORBIDDEN', 'Only partner admins can test unsaved settings; technicians can test the saved configuration');
  }
}
