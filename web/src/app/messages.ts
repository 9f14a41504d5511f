import { defineMessages } from '../lib/i18n';

/** Texts of the app's own pages and screens, in English and Vietnamese. */
export const appMessages = defineMessages({
  en: {
    home: {
      title: 'Shelfwise, your public library',
      heading: 'Welcome to your library',
      intro: 'Borrow books, find your next read and ask the librarian for ideas, in English or Vietnamese.',
      browse: 'Browse the whole catalogue',
    },
    catalogue: { title: 'Catalogue · Shelfwise' },
    search: { title: (q: string) => (q ? `“${q}” · Search · Shelfwise` : 'Search · Shelfwise') },
    notFound: {
      title: 'Page not found · Shelfwise',
      heading: 'Page not found',
      body: 'There is nothing at this address. It may have moved, or the link may be mistyped.',
      back: 'Go to the catalogue',
    },
    configError: {
      heading: 'Shelfwise cannot start',
      body: 'The app could not read its configuration.',
      fix: (path: string) => `The site must serve ${path} next to index.html, for example`,
      how: 'Locally, npm start writes it; in AWS, the CDK app deploys it.',
    },
    loadingPage: 'Loading the page…',
  },
  vi: {
    home: {
      title: 'Shelfwise, thư viện công cộng của bạn',
      heading: 'Chào mừng đến thư viện của bạn',
      intro: 'Mượn sách, tìm cuốn sách tiếp theo và hỏi thủ thư để có thêm gợi ý, bằng tiếng Việt hoặc tiếng Anh.',
      browse: 'Xem toàn bộ danh mục',
    },
    catalogue: { title: 'Danh mục · Shelfwise' },
    search: { title: (q: string) => (q ? `“${q}” · Tìm kiếm · Shelfwise` : 'Tìm kiếm · Shelfwise') },
    notFound: {
      title: 'Không tìm thấy trang · Shelfwise',
      heading: 'Không tìm thấy trang',
      body: 'Không có gì ở địa chỉ này. Có thể trang đã được chuyển đi, hoặc đường dẫn bị gõ sai.',
      back: 'Đến danh mục',
    },
    configError: {
      heading: 'Shelfwise không khởi động được',
      body: 'Ứng dụng không đọc được cấu hình.',
      fix: (path: string) => `Trang web phải cung cấp ${path} bên cạnh index.html, ví dụ`,
      how: 'Khi chạy cục bộ, npm start tạo tệp này; trên AWS, ứng dụng CDK triển khai nó.',
    },
    loadingPage: 'Đang tải trang…',
  },
});
