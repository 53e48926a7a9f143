"""Operations commands, installed as `colo-*` scripts."""
