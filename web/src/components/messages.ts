import { defineMessages } from '../lib/i18n';

/** Texts of the shared layout, status and error blocks, in English and Vietnamese. */
export const sharedMessages = defineMessages({
  en: {
    layout: {
      skipLink: 'Skip to content',
      siteName: 'Shelfwise',
      tagline: 'Public library',
      mainNav: 'Main',
      home: 'For you',
      catalogue: 'Catalogue',
      search: 'Search',
      shelf: 'My shelf',
      librarian: 'Librarian',
      searchLabel: 'Search the catalogue',
      searchPlaceholder: 'Title, author, subject…',
      searchButton: 'Search',
      settings: 'Site settings',
      switchLanguage: 'Đổi sang tiếng Việt',
      darkTheme: 'Dark theme',
      footer: 'Shelfwise, your public library.',
      footerLanguages: 'In English and Vietnamese.',
    },
    status: {
      tryAgain: 'Try again',
      genericError: 'Something went wrong on our side. Please try again in a moment.',
      unreachable: 'Could not reach the Shelfwise API. Check your connection and try again.',
    },
    routeError: {
      title: 'Something went wrong',
      body: (detail: string) =>
        `This page could not be shown${detail ? ` (${detail})` : ''}. Please reload it or go back to the catalogue.`,
      back: 'Back to the catalogue',
    },
  },
  vi: {
    layout: {
      skipLink: 'Chuyển đến nội dung',
      siteName: 'Shelfwise',
      tagline: 'Thư viện công cộng',
      mainNav: 'Chính',
      home: 'Dành cho bạn',
      catalogue: 'Danh mục',
      search: 'Tìm kiếm',
      shelf: 'Kệ sách của tôi',
      librarian: 'Thủ thư',
      searchLabel: 'Tìm trong danh mục',
      searchPlaceholder: 'Tên sách, tác giả, chủ đề…',
      searchButton: 'Tìm',
      settings: 'Cài đặt trang',
      switchLanguage: 'Switch to English',
      darkTheme: 'Giao diện tối',
      footer: 'Shelfwise, thư viện công cộng của bạn.',
      footerLanguages: 'Bằng tiếng Anh và tiếng Việt.',
    },
    status: {
      tryAgain: 'Thử lại',
      genericError: 'Đã có lỗi từ phía chúng tôi. Vui lòng thử lại sau giây lát.',
      unreachable: 'Không kết nối được với Shelfwise. Hãy kiểm tra kết nối mạng rồi thử lại.',
    },
    routeError: {
      title: 'Đã có lỗi',
      body: (detail: string) =>
        `Không thể hiển thị trang này${detail ? ` (${detail})` : ''}. Vui lòng tải lại hoặc quay về danh mục.`,
      back: 'Quay về danh mục',
    },
  },
});
