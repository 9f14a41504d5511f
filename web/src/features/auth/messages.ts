import { defineMessages } from '../../lib/i18n';

/** Texts of signing in and out, in English and Vietnamese. */
export const authMessages = defineMessages({
  en: {
    menu: {
      signIn: 'Sign in',
      signOut: 'Sign out',
      signOutLabel: (name: string) => `Sign out (signed in as ${name})`,
      finishing: 'Signing you in…',
      callbackFailed: 'Signing in did not work',
    },
    page: {
      title: 'Sign in · Shelfwise',
      heading: 'Sign in',
      intro:
        'Signing in keeps your reading history and recommendations with your account, on every device. What you did ' +
        'in this browser before signing in joins your account. You can use the library without an account.',
      localHeading: 'Local accounts',
      localHelp:
        'This is a local copy of Shelfwise: sign in with an account printed by npm start, "reader" or "librarian".',
      username: 'Account',
      submit: 'Sign in',
      signingIn: 'Signing in…',
      hosted: 'Continue to the library’s sign-in page',
      hostedHelp: 'You sign in, or create an account, on the library’s secure sign-in page, then come back here.',
      unavailable: 'Signing in is not available on this site.',
      failed: 'Signing in did not work',
      signedIn: (name: string) => `You are signed in as ${name}.`,
      mergeFailed: 'You are signed in, but the history of this browser could not be added to your account.',
      toShelf: 'Go to my shelf',
    },
  },
  vi: {
    menu: {
      signIn: 'Đăng nhập',
      signOut: 'Đăng xuất',
      signOutLabel: (name: string) => `Đăng xuất (đang đăng nhập với tên ${name})`,
      finishing: 'Đang đăng nhập…',
      callbackFailed: 'Đăng nhập không thành công',
    },
    page: {
      title: 'Đăng nhập · Shelfwise',
      heading: 'Đăng nhập',
      intro:
        'Đăng nhập giúp giữ lịch sử đọc và gợi ý theo tài khoản của bạn, trên mọi thiết bị. Những gì bạn đã làm trên ' +
        'trình duyệt này trước khi đăng nhập sẽ được gộp vào tài khoản. Bạn vẫn dùng được thư viện mà không cần tài khoản.',
      localHeading: 'Tài khoản cục bộ',
      localHelp:
        'Đây là bản Shelfwise chạy cục bộ: hãy đăng nhập bằng một tài khoản do npm start in ra, "reader" hoặc "librarian".',
      username: 'Tài khoản',
      submit: 'Đăng nhập',
      signingIn: 'Đang đăng nhập…',
      hosted: 'Tiếp tục đến trang đăng nhập của thư viện',
      hostedHelp: 'Bạn đăng nhập, hoặc tạo tài khoản, trên trang đăng nhập an toàn của thư viện, rồi quay lại đây.',
      unavailable: 'Trang này chưa hỗ trợ đăng nhập.',
      failed: 'Đăng nhập không thành công',
      signedIn: (name: string) => `Bạn đã đăng nhập với tên ${name}.`,
      mergeFailed: 'Bạn đã đăng nhập, nhưng không gộp được lịch sử của trình duyệt này vào tài khoản.',
      toShelf: 'Đến kệ sách của tôi',
    },
  },
});
