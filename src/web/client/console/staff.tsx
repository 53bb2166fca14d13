import { useEffect, useState } from 'preact/hooks';
import type { ConsoleApi, ConsoleLabels } from './console-api.ts';
import { writeThenReload } from './keyset-pages.ts';
import type { ScreenProps } from './screens.tsx';

type Role = 'rep' | 'manager' | 'director' | 'admin';

interface Member {
  id: number;
  name: string;
  role: Role;
  teamId: number | null;
  teamName: string | null;
  active: boolean;
  reachableOn: string[];
  editable: boolean;
}

interface Directory {
  members: Member[];
  teams: Array<{ id: number; name: string; parentId: number | null }>;
  may: { addTeam: boolean; edit: boolean };
  grantable: Role[];
}

type Words = ConsoleLabels['staff'];
const failure = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Staff and teams: everyone the signed-in member may list; directors and admins change roles, teams, activity. */
export function StaffTeams({ api, labels }: ScreenProps) {
  const w = labels.staff;
  const [dir, setDir] = useState<Directory | null>(null);
  const [status, setStatus] = useState(labels.loading);

  const load = async () => setDir(await api.get<Directory>('/app/api/console/staff'));
  useEffect(() => {
    load()
      .then(() => setStatus(''))
      .catch((e: unknown) => setStatus(labels.failed + failure(e)));
  }, [api]);

  const act = writeThenReload(load, setStatus, labels);

  if (!dir)
    return (
      <p id="status" class="muted" role="status">
        {status}
      </p>
    );
  return (
    <section class="staff-screen">
      {dir.may.edit ? null : <p class="muted">{w.readOnly}</p>}
      {dir.may.addTeam ? <TeamForm api={api} w={w} teams={dir.teams} act={act} /> : null}
      <p id="status" class="muted" role="status">
        {status}
      </p>
      <table id="staff">
        <thead>
          <tr>
            <th>{w.name}</th>
            <th>{w.role}</th>
            <th>{w.team}</th>
            <th>{w.reachable}</th>
            <th>{w.status}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {dir.members.map((m) => (
            <MemberRow
              key={`${m.id}:${m.role}:${m.teamId}:${m.active}`}
              api={api}
              w={w}
              dir={dir}
              m={m}
              act={act}
            />
          ))}
        </tbody>
      </table>
    </section>
  );
}

function TeamForm({
  api,
  w,
  teams,
  act,
}: {
  api: ConsoleApi;
  w: Words;
  teams: Directory['teams'];
  act: (write: () => Promise<string>) => Promise<void>;
}) {
  const [name, setName] = useState('');
  const [parent, setParent] = useState('');
  return (
    <form
      class="filters"
      onSubmit={(e) => {
        e.preventDefault();
        void act(async () => {
          const made = await api.post<{ created: boolean }>('/app/api/console/staff/teams', {
            name,
            parent: parent || null,
          });
          setName('');
          return made.created ? w.teamAdded : w.teamExists;
        });
      }}
    >
      <label>
        {w.teamName}
        <input id="team-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <label>
        {w.parentTeam}
        <select id="team-parent" value={parent} onChange={(e) => setParent(e.currentTarget.value)}>
          <option value="">{w.noParent}</option>
          {teams.map((t) => (
            <option key={t.id} value={t.name}>
              {t.name}
            </option>
          ))}
        </select>
      </label>
      <button id="team-add" type="submit">
        {w.addTeam}
      </button>
    </form>
  );
}

function MemberRow({
  api,
  w,
  dir,
  m,
  act,
}: {
  api: ConsoleApi;
  w: Words;
  dir: Directory;
  m: Member;
  act: (write: () => Promise<string>) => Promise<void>;
}) {
  const [role, setRole] = useState<Role>(m.role);
  const [team, setTeam] = useState(m.teamId === null ? '' : String(m.teamId));
  const roles = dir.grantable.includes(m.role) ? dir.grantable : [m.role, ...dir.grantable];
  const save = () =>
    act(async () => {
      const r = await api.patch<{ changed: boolean }>(`/app/api/console/staff/${m.id}`, {
        role,
        teamId: team ? Number(team) : null,
      });
      return r.changed ? w.saved : w.unchanged;
    });
  const toggle = () => {
    if (m.active && !confirm(w.confirmDeactivate)) return;
    void act(async () => {
      await api.post(`/app/api/console/staff/${m.id}/active`, { active: !m.active });
      return m.active ? w.deactivated : w.reactivated;
    });
  };
  return (
    <tr class={m.active ? 'member' : 'member inactive'} data-id={m.id}>
      <td class="member-name">{m.name}</td>
      <td>
        {m.editable ? (
          <select class="role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {w.roles[r]}
              </option>
            ))}
          </select>
        ) : (
          <span class="role">{w.roles[m.role]}</span>
        )}
      </td>
      <td>
        {m.editable ? (
          <select class="team" value={team} onChange={(e) => setTeam(e.currentTarget.value)}>
            <option value="">{w.noTeam}</option>
            {dir.teams.map((t) => (
              <option key={t.id} value={String(t.id)}>
                {t.name}
              </option>
            ))}
          </select>
        ) : (
          <span class="team">{m.teamName ?? w.noTeam}</span>
        )}
      </td>
      <td>{m.reachableOn.join(', ') || w.none}</td>
      <td class="state">{m.active ? w.active : w.inactive}</td>
      <td>
        {m.editable ? (
          <>
            <button class="save" type="button" onClick={() => void save()}>
              {w.save}
            </button>{' '}
            <button class="toggle-active" type="button" onClick={toggle}>
              {m.active ? w.deactivate : w.reactivate}
            </button>
          </>
        ) : null}
      </td>
    </tr>
  );
}
