import { SignIn } from '../../features/auth/components/sign-in';
import { shelfRecord } from '../../features/shelf/utils/shelf-record';

/** `/sign-in`: local accounts on `npm start`, Cognito's hosted sign-in in AWS; loaded on demand. */
export function SignInPage() {
  return <SignIn onMerged={shelfRecord.move} />;
}

export default SignInPage;
