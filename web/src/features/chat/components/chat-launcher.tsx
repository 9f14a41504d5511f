import { Suspense, lazy, useEffect, useRef, useState } from 'react';
import { useLocation } from 'react-router';

import { Icon } from '../../../components/icon';
import { Loading } from '../../../components/query-status';
import { useMessages } from '../../../lib/i18n';
import { chatMessages } from '../messages';

// The panel (and its SSE parser) is loaded the first time a reader opens the chat, not with the first page.
const ChatPanel = lazy(() => import('./chat-panel'));

/**
 * The header's "Ask a librarian" button and the chat drawer it opens: a modal <dialog> (focus stays inside, Escape
 * closes it, focus returns to the button). The conversation stays while the reader moves between pages; opening a
 * cited book closes the drawer.
 */
export function ChatLauncher() {
  const text = useMessages(chatMessages);
  const dialog = useRef<HTMLDialogElement>(null);
  const [opened, setOpened] = useState(false);
  const { pathname } = useLocation();

  const open = () => {
    setOpened(true);
    dialog.current?.showModal();
  };
  const close = () => dialog.current?.close();

  // A new page (a cited book opened) closes the drawer.
  useEffect(() => dialog.current?.close(), [pathname]);

  return (
    <>
      <button
        type="button"
        className="header-button header-button--chat"
        aria-haspopup="dialog"
        aria-label={text.open}
        onClick={open}
      >
        <Icon name="chat" />
        <span className="header-button__long" aria-hidden="true">
          {text.open}
        </span>
        <span className="header-button__short" aria-hidden="true">
          {text.openShort}
        </span>
      </button>
      <dialog
        ref={dialog}
        className="chat-drawer"
        aria-labelledby="chat-title"
        onClick={(event) => {
          // A click on the backdrop (outside the drawer's box) closes it.
          if (event.target === event.currentTarget) close();
        }}
      >
        {opened && (
          <Suspense fallback={<Loading label={text.thinking} />}>
            <ChatPanel onClose={close} />
          </Suspense>
        )}
      </dialog>
    </>
  );
}
