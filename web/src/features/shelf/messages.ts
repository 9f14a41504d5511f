import { defineMessages } from '../../lib/i18n';

/** Texts of "My shelf" and its privacy controls, in English and Vietnamese. */
export const shelfMessages = defineMessages({
  en: {
    title: 'My shelf · Shelfwise',
    heading: 'My shelf',
    signedInAs: (name: string) => `Signed in as ${name}: your history follows your account on every device.`,
    anonymous: 'You are not signed in: this shelf and its history belong to this browser only.',
    signIn: 'Sign in to keep them across devices',
    privacy: {
      heading: 'Your privacy',
      intro:
        'The library records what you open, borrow, add to your list, rate or dismiss, only to recommend books to you. ' +
        'It is never sold or shared, and the data the library analyses carries no names or e-mail addresses.',
      recording: 'Your history is being recorded.',
      paused: 'Your history is paused: nothing you do is recorded until you resume it.',
      pause: 'Pause history',
      resume: 'Resume history',
      pauseHelp:
        'Pausing stops recording from now on. What is already recorded stays, and keeps shaping your recommendations, until you delete it.',
      resumeHelp: 'Resuming records your reading again, so your recommendations follow it.',
      delete: 'Delete my history',
      deleteHelp:
        'Deleting removes at once everything the library recorded of your reading, your recommendations and your conversations with the librarian.',
      pausedDone: 'History paused. Nothing you do is recorded now.',
      resumedDone: 'History resumed.',
      deletedDone: 'Your history was deleted. Your “For you” list starts again from popular books.',
      failed: 'That did not work',
    },
    confirm: {
      heading: 'Delete your history?',
      body:
        'Everything the library recorded of your reading (books opened, borrowed, listed, rated or dismissed), your ' +
        'recommendations and your conversations with the librarian are deleted now, and from the library’s ' +
        'analysis data at its next update. This cannot be undone.',
      confirm: 'Yes, delete my history',
      cancel: 'Cancel',
    },
    history: {
      heading: 'Recent history',
      note:
        'What this browser recorded as you used Shelfwise. The library keeps your history to make recommendations, ' +
        'but cannot show it back yet.',
      empty: 'Nothing recorded yet. Books you open, borrow, rate or add to your list appear here.',
      emptyPaused: 'Nothing recorded yet, and nothing will be while your history is paused.',
      listLabel: 'Recent history',
      loadingBook: 'Loading…',
      unknownBook: (id: string) => `Book ${id}`,
      acts: {
        open: 'Opened',
        borrow: 'Borrowed',
        'add-to-list': 'Added to Want to read',
        rate: (stars: number) => `Rated ${stars} of 5`,
        dismiss: 'Not interested',
        finish: 'Finished',
      },
    },
  },
  vi: {
    title: 'Kệ sách của tôi · Shelfwise',
    heading: 'Kệ sách của tôi',
    signedInAs: (name: string) => `Đã đăng nhập với tên ${name}: lịch sử đọc theo tài khoản của bạn trên mọi thiết bị.`,
    anonymous: 'Bạn chưa đăng nhập: kệ sách và lịch sử này chỉ thuộc về trình duyệt này.',
    signIn: 'Đăng nhập để giữ chúng trên mọi thiết bị',
    privacy: {
      heading: 'Quyền riêng tư của bạn',
      intro:
        'Thư viện ghi lại những sách bạn mở, mượn, thêm vào danh sách, chấm điểm hoặc bỏ qua, chỉ để gợi ý sách cho bạn. ' +
        'Dữ liệu không bao giờ được bán hay chia sẻ, và dữ liệu thư viện phân tích không chứa tên hay địa chỉ e-mail.',
      recording: 'Lịch sử của bạn đang được ghi lại.',
      paused: 'Lịch sử của bạn đang tạm dừng: không có gì được ghi lại cho đến khi bạn tiếp tục.',
      pause: 'Tạm dừng lịch sử',
      resume: 'Tiếp tục ghi lịch sử',
      pauseHelp:
        'Tạm dừng sẽ ngừng ghi từ bây giờ. Những gì đã ghi vẫn được giữ và vẫn ảnh hưởng đến gợi ý cho đến khi bạn xoá.',
      resumeHelp: 'Tiếp tục sẽ ghi lại việc đọc của bạn, để gợi ý theo sát sở thích của bạn.',
      delete: 'Xoá lịch sử của tôi',
      deleteHelp:
        'Xoá sẽ xoá ngay mọi thứ thư viện đã ghi về việc đọc của bạn, các gợi ý và các cuộc trò chuyện với thủ thư.',
      pausedDone: 'Đã tạm dừng lịch sử. Từ giờ không có gì được ghi lại.',
      resumedDone: 'Đã tiếp tục ghi lịch sử.',
      deletedDone: 'Đã xoá lịch sử của bạn. Danh sách “Dành cho bạn” bắt đầu lại từ những sách được đọc nhiều.',
      failed: 'Không thực hiện được',
    },
    confirm: {
      heading: 'Xoá lịch sử của bạn?',
      body:
        'Mọi thứ thư viện đã ghi về việc đọc của bạn (sách đã mở, mượn, thêm vào danh sách, chấm điểm hoặc bỏ qua), ' +
        'các gợi ý và các cuộc trò chuyện với thủ thư sẽ bị xoá ngay, và bị xoá khỏi dữ liệu phân tích của thư viện ' +
        'ở lần cập nhật tiếp theo. Không thể hoàn tác.',
      confirm: 'Đồng ý, xoá lịch sử',
      cancel: 'Huỷ',
    },
    history: {
      heading: 'Lịch sử gần đây',
      note:
        'Những gì trình duyệt này ghi lại khi bạn dùng Shelfwise. Thư viện giữ lịch sử của bạn để gợi ý sách, ' +
        'nhưng chưa thể hiển thị lại.',
      empty: 'Chưa có gì được ghi lại. Sách bạn mở, mượn, chấm điểm hoặc thêm vào danh sách sẽ hiện ở đây.',
      emptyPaused: 'Chưa có gì được ghi lại, và sẽ không có gì khi lịch sử đang tạm dừng.',
      listLabel: 'Lịch sử gần đây',
      loadingBook: 'Đang tải…',
      unknownBook: (id: string) => `Sách ${id}`,
      acts: {
        open: 'Đã mở',
        borrow: 'Đã mượn',
        'add-to-list': 'Đã thêm vào Muốn đọc',
        rate: (stars: number) => `Đã chấm ${stars} trên 5`,
        dismiss: 'Không quan tâm',
        finish: 'Đã đọc xong',
      },
    },
  },
});
