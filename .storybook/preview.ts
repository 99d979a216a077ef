import type { Preview } from '@storybook/react-vite';
import '../stories/showroom.css';
import { withDemoServer } from '../stories/support/demo-server-gate';

const preview: Preview = {
  decorators: [withDemoServer],
  parameters: {
    layout: 'fullscreen',
    controls: { disable: true },
    actions: { disable: true },
    options: {
      storySort: {
        // The four stories with a guide (stories/guides/) first, in the order Introduction lists them.
        order: ['Docs', ['Introduction', 'Getting started'], 'Showroom', ['Live feed', 'Notifications', 'Monitoring dashboard', 'Typed events with a schema', '*'], 'Devtools'],
      },
    },
  },
};

export default preview;
