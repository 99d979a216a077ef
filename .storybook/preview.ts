import type { Preview } from '@storybook/react-vite';
import '../stories/showroom.css';
import { withDemoServer } from '../stories/support/demo-server-gate';

const preview: Preview = {
  decorators: [withDemoServer],
  parameters: {
    layout: 'fullscreen',
    controls: { disable: true },
    actions: { disable: true },
    options: { storySort: { order: ['Docs', ['Introduction', 'Getting started'], 'Showroom', 'Devtools'] } },
  },
};

export default preview;
