// Placeholder until the UI lands: proves the renderer reaches the local API (and nothing else).
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { createLocalClient } from './app/localClient';
import { UpdatePrompt } from './features/updates/UpdatePrompt';

const client = createLocalClient();

function App() {
  const [text, setText] = useState('Loading…');
  useEffect(() => {
    client.session.status.query().then(
      (s) => setText(s.user ? `${s.user.email} (${s.state})` : 'Signed out'),
      (e: unknown) => setText(e instanceof Error ? e.message : 'Local API unavailable'),
    );
  }, []);
  return <main><h1>Integration Center</h1><p>{text}</p><UpdatePrompt /></main>;
}

const root = document.getElementById('root');
if (root) createRoot(root).render(<StrictMode><App /></StrictMode>);
