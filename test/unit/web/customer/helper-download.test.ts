import t from 'tap';
import { detectSystem } from '../../../../web/customer/helper-download.js';

// Which helper the page offers, from what the browser says of its system.
t.test('the helper for this computer, or none', async (t) => {
  const cases: Array<[string, string | undefined, string]> = [
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36', 'Windows', 'win-x64'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0', undefined, 'win-x64'],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/156.0 Safari/537.36', 'Linux', 'linux-x64'],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0', undefined, 'linux-x64'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Safari/605.1.15', 'macOS', 'macos'],
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36', 'Android', 'other'],
    ['Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 Chrome/131.0 Safari/537.36', 'Chrome OS', 'other'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148', undefined, 'other'],
    ['Mozilla/5.0 (X11; Linux aarch64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36', 'Linux', 'other'],
    ['Mozilla/5.0 (Windows NT 10.0; ARM64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36', 'Windows', 'other'],
  ];
  for (const [ua, platform, expected] of cases) t.equal(detectSystem(ua, platform), expected, `${expected}: ${ua.slice(13, 60)}`);
});
