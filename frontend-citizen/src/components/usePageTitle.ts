// Page titles "<page> – Egen provhantering"; the start page has the service name alone.
export { usePageTitle } from '@shared/components/usePageTitle';
