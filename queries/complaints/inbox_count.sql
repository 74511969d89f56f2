-- Returns: how many items a user's inbox holds (the menu's count), from the same macro as
-- inbox_items. Params: as csm.complaints.inbox_params
SELECT count(*) AS n
FROM inbox_of($user_id, $username, $display_name, $scope_kind, $scope_id, $now, $soon_until, $day_end,
              $today, $scope_due, $quality_due, $revisits, $revisits_unassigned, $actions_scope,
              $actions_owned)
